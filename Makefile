# brewline: `make run` runs the pipeline; `make test` runs every test suite (also under ASan+UBSan).
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all deps deps-test deps-bench configure build run test test-fast test-asan bench lambdas clean format

all: build

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

deps-bench:
	@scripts/install-deps.sh bench

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

configure: $(BUILD)/build.ninja

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The main job: the whole pipeline on embedded defaults.
run: build
	@scripts/run-demo.sh $(BUILD)/brewline

# Every test suite, then the same suites under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps-test
	$(MAKE) --no-print-directory test-fast
	$(MAKE) --no-print-directory test-asan

test-fast: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBREWLINE_SANITIZE=ON $(CMAKE_ARGS)

test-asan: $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900 -LE no_sanitizer

bench: deps-bench build
	@scripts/run-benchmarks.sh $(BUILD)

# The C++ Lambdas for AWS: $(BUILD)/lambda/{ingest,transform}.zip (bootstrap + bundled libraries and loader).
lambdas: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target lambda_ingest_zip lambda_transform_zip lambda_score_zip

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

format:
	clang-format -i $$(git ls-files 'src/*.h' 'src/*.cc' 'tests/*.h' 'tests/*.cc' 'bench/*.cc' 'lambdas/*.cc')
