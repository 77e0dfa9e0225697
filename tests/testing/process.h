// Running child processes from tests: a command to completion with captured output, or a long-running child
// (a server, a crash-test writer) that can be signalled and reaped.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace brewline::testing {

struct CommandResult {
  int exit_code = -1;   // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with the given arguments, feeding `stdin_data`, and waits at most `timeout`.
// On timeout the child is killed and exit_code is -1, signal SIGKILL.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_data = "",
                         std::chrono::milliseconds timeout = std::chrono::seconds(60),
                         const std::map<std::string, std::string>& extra_env = {});

// A child started in the background; its stdout/stderr go to the given files ("" = /dev/null).
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& stdout_path = "",
               const std::string& stderr_path = "", const std::map<std::string, std::string>& extra_env = {});
  ~ChildProcess();  // SIGKILL + reap if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Waits for exit; returns the exit code, or -signal if killed. Returns -1000 on timeout (child left running).
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  bool running();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreeTcpPort();
// Polls until 127.0.0.1:port accepts a connection or the timeout passes.
bool WaitForPort(int port, std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace brewline::testing
