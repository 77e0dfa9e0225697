// `brewline table sync|describe|ddl|schema` and `brewline sql "QUERY"`: the SQLite `cleaned` table over the
// cleaned bucket (src/table/), its Athena twin, and read-only SQL.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/json_escape.h"
#include "common/time_util.h"
#include "store/fs_object_store.h"
#include "table/athena_ddl.h"
#include "table/cleaned_table.h"
#include "table/sql_query.h"
#include "table/table_schema.h"

namespace brewline::cli {
namespace {

struct TableArgs {
  std::string data_dir;
  std::string bucket = "cleaned";
  bool json = false;
  bool athena = false;
  table::AthenaOptions athena_options;
  std::string query;
  std::string format = "table";
};

Result<std::unique_ptr<table::CleanedTable>> OpenTable(const std::string& data_dir) {
  return table::CleanedTable::Open(PosixFileSystem::Get(), SystemClock::Get(), data_dir);
}

int RunSync(const TableArgs& a) {
  auto t = OpenTable(a.data_dir);
  if (!t.ok()) return ReportError(t.status());
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(a.data_dir));
  auto s = (*t)->Sync(store, a.bucket);
  if (!s.ok()) return ReportError(s.status());
  if (a.json) {
    std::printf(
        "{\"objects_listed\":%lld,\"objects_loaded\":%lld,\"objects_replaced\":%lld,\"objects_removed\":%lld,"
        "\"objects_skipped\":%lld,\"rows_loaded\":%lld,\"rows_removed\":%lld,\"lines_rejected\":%lld,"
        "\"first_reject\":%s}\n",
        static_cast<long long>(s->objects_listed), static_cast<long long>(s->objects_loaded),
        static_cast<long long>(s->objects_replaced), static_cast<long long>(s->objects_removed),
        static_cast<long long>(s->objects_skipped), static_cast<long long>(s->rows_loaded),
        static_cast<long long>(s->rows_removed), static_cast<long long>(s->lines_rejected),
        JsonQuote(s->first_reject).c_str());
  } else {
    std::printf("synced %s: %lld new objects (%lld rows), %lld replaced, %lld removed (%lld rows), %lld unchanged\n",
                a.bucket.c_str(), static_cast<long long>(s->objects_loaded), static_cast<long long>(s->rows_loaded),
                static_cast<long long>(s->objects_replaced), static_cast<long long>(s->objects_removed),
                static_cast<long long>(s->rows_removed), static_cast<long long>(s->objects_skipped));
  }
  if (s->lines_rejected > 0) {
    std::fprintf(stderr, "warning: %lld malformed records rejected (see table `rejects`); first: %s\n",
                 static_cast<long long>(s->lines_rejected), s->first_reject.c_str());
  }
  return kExitOk;
}

int RunDescribe(const TableArgs& a) {
  auto t = OpenTable(a.data_dir);
  if (!t.ok()) return ReportError(t.status());
  auto counts = (*t)->Counts();
  if (!counts.ok()) return ReportError(counts.status());
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(a.data_dir));
  auto lag = (*t)->Lag(store, a.bucket);
  if (!lag.ok()) return ReportError(lag.status());
  const std::string last = counts->last_sync_ms > 0 ? FormatIso8601(counts->last_sync_ms) : "never";
  if (a.json) {
    std::printf(
        "{\"database\":%s,\"bucket\":%s,\"schema\":%s,\"rows\":%lld,\"beers\":%lld,\"objects_loaded\":%lld,"
        "\"objects_deleted\":%lld,\"rejects\":%lld,\"quality_issues\":%lld,\"last_sync\":%s,"
        "\"objects_in_bucket\":%lld,\"objects_pending\":%lld,\"bytes_pending\":%lld,"
        "\"objects_deleted_pending\":%lld}\n",
        JsonQuote(table::CleanedTable::DbPath(a.data_dir)).c_str(), JsonQuote(a.bucket).c_str(),
        table::SchemaJson().c_str(), static_cast<long long>(counts->rows), static_cast<long long>(counts->beers),
        static_cast<long long>(counts->objects_loaded), static_cast<long long>(counts->objects_deleted),
        static_cast<long long>(counts->rejects), static_cast<long long>(counts->quality_issues),
        JsonQuote(last).c_str(), static_cast<long long>(lag->objects_in_bucket),
        static_cast<long long>(lag->objects_pending), static_cast<long long>(lag->bytes_pending),
        static_cast<long long>(lag->objects_deleted_pending));
    return kExitOk;
  }
  std::printf("table cleaned  (%s)\n\n", table::CleanedTable::DbPath(a.data_dir).c_str());
  std::printf("%-12s %-8s %-9s %s\n", "column", "type", "null", "description");
  for (const auto& c : table::CleanedSqlColumns()) {
    std::printf("%-12s %-8s %-9s %s%s\n", c.name.c_str(), c.sql_type.c_str(), c.nullable ? "yes" : "NOT NULL",
                c.description.c_str(), c.lineage ? " (lineage)" : "");
  }
  std::printf("\nviews: beers (latest arrival per id), quality_issues; also objects (manifest), rejects\n\n");
  std::printf("rows            %lld\n", static_cast<long long>(counts->rows));
  std::printf("beers           %lld\n", static_cast<long long>(counts->beers));
  std::printf("objects loaded  %lld (deleted from bucket: %lld)\n", static_cast<long long>(counts->objects_loaded),
              static_cast<long long>(counts->objects_deleted));
  std::printf("rejects         %lld\n", static_cast<long long>(counts->rejects));
  std::printf("quality issues  %lld\n", static_cast<long long>(counts->quality_issues));
  std::printf("last sync       %s\n", last.c_str());
  std::printf("lag             %lld of %lld objects in bucket %s not loaded (%lld bytes); %lld deleted not yet removed\n",
              static_cast<long long>(lag->objects_pending), static_cast<long long>(lag->objects_in_bucket),
              a.bucket.c_str(), static_cast<long long>(lag->bytes_pending),
              static_cast<long long>(lag->objects_deleted_pending));
  return kExitOk;
}

int RunDdl(const TableArgs& a) {
  if (a.athena) {
    std::fputs(table::AthenaDdl(a.athena_options).c_str(), stdout);
  } else {
    std::fputs(table::CreateLayoutSql().c_str(), stdout);
  }
  return kExitOk;
}

int RunSchema(const TableArgs& a) {
  if (a.json) {
    std::printf("%s\n", table::SchemaJson().c_str());
    return kExitOk;
  }
  for (const auto& c : table::CleanedSqlColumns()) {
    std::printf("%s\t%s\t%s\n", c.name.c_str(), c.sql_type.c_str(), c.nullable ? "NULL" : "NOT NULL");
  }
  return kExitOk;
}

int RunSql(const TableArgs& a) {
  auto format = table::ParseOutputFormat(a.format);
  if (!format.ok()) return UsageError(format.status().message());
  auto result = table::RunReadOnlyQuery(table::CleanedTable::DbPath(a.data_dir), a.query);
  if (!result.ok()) return ReportError(result.status());
  std::fputs(table::FormatResult(*result, *format).c_str(), stdout);
  return kExitOk;
}

}  // namespace

void RegisterTableCommands(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<TableArgs>();
  CLI::App* tbl = app.add_subcommand("table", "the SQL table `cleaned` over the cleaned bucket (SQLite; Athena DDL)");
  tbl->require_subcommand(1);

  CLI::App* sync = tbl->add_subcommand("sync", "load new cleaned objects into the table (incremental, idempotent)");
  AddDataDirOption(sync, &a->data_dir);
  sync->add_option("--bucket", a->bucket, "bucket to load")->capture_default_str();
  sync->add_flag("--json", a->json, "print the sync statistics as JSON");
  sync->callback([a, &ctx] { ctx.exit_code = RunSync(*a); });

  CLI::App* describe = tbl->add_subcommand("describe", "columns, row counts, objects loaded and lag behind the bucket");
  AddDataDirOption(describe, &a->data_dir);
  describe->add_option("--bucket", a->bucket, "bucket the table follows")->capture_default_str();
  describe->add_flag("--json", a->json, "machine-readable output");
  describe->callback([a, &ctx] { ctx.exit_code = RunDescribe(*a); });

  CLI::App* ddl = tbl->add_subcommand("ddl", "print the table's DDL (SQLite layout, or Athena with --athena)");
  ddl->add_flag("--athena", a->athena, "CREATE EXTERNAL TABLE (OpenCSVSerde, partition projection) + typed view");
  ddl->add_option("--bucket", a->athena_options.bucket, "S3 bucket of the cleaned objects")->capture_default_str();
  ddl->add_option("--prefix", a->athena_options.prefix, "key prefix before YYYY/MM/dd/HH/");
  ddl->add_option("--database", a->athena_options.database, "Glue database")->capture_default_str();
  ddl->add_option("--table", a->athena_options.raw_table, "Glue external table (string columns)")->capture_default_str();
  ddl->add_option("--view", a->athena_options.view, "typed Athena view")->capture_default_str();
  ddl->add_option("--range-start", a->athena_options.range_start, "first projected hour, yyyy/MM/dd/HH")
      ->capture_default_str();
  ddl->callback([a, &ctx] { ctx.exit_code = RunDdl(*a); });

  CLI::App* schema = tbl->add_subcommand("schema", "the table's columns (derived from the cleaned schema)");
  schema->add_flag("--json", a->json, "machine-readable: SQL, Athena and Glue types of every column");
  schema->callback([a, &ctx] { ctx.exit_code = RunSchema(*a); });

  CLI::App* sql = app.add_subcommand("sql", "run one read-only SQL query on the table database (writes are refused)");
  sql->add_option("query", a->query, "e.g. \"SELECT count(*) FROM beers\"")->required();
  sql->add_option("--format", a->format, "table|csv|json")->capture_default_str();
  AddDataDirOption(sql, &a->data_dir);
  sql->callback([a, &ctx] { ctx.exit_code = RunSql(*a); });
}

}  // namespace brewline::cli
