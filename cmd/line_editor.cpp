// read_line through libedit's own interface (histedit.h): a line editor every Debian
// system has, rather than one made here.
#include "line_editor.hpp"

#include <histedit.h>
#include <termios.h>
#include <unistd.h>

#include <clocale>
#include <csignal>
#include <cstdio>
#include <iterator>
#include <memory>

namespace brm::cli {
namespace {

struct Session {
  std::string prompt;
  const Completer* complete = nullptr;
};

char* prompt_of(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<Session*>(data)->prompt.data();
}

std::string shared_prefix(const std::vector<std::string>& words) {
  std::string out = words.front();
  for (const std::string& w : words) {
    std::size_t n = 0;
    while (n < out.size() && n < w.size() && out[n] == w[n]) ++n;
    out.resize(n);
  }
  return out;
}

// The whole line is one answer: Tab completes it from the start, not the last word.
unsigned char complete_line(EditLine* el, int) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  const Session& s = *static_cast<Session*>(data);
  const LineInfo* line = el_line(el);
  std::string typed(line->buffer, static_cast<std::size_t>(line->cursor - line->buffer));
  std::vector<std::string> offered = (*s.complete)(typed);
  if (offered.empty()) return CC_ERROR;
  std::string common = offered.size() == 1 ? offered.front() : shared_prefix(offered);
  if (common.size() > typed.size() || (offered.size() == 1 && common != typed)) {
    el_cursor(el, static_cast<int>(line->lastchar - line->cursor));
    el_deletestr(el, static_cast<int>(line->lastchar - line->buffer));
    el_insertstr(el, common.c_str());
    return CC_REFRESH;
  }
  if (offered.size() == 1) return CC_NORM;
  std::string list = "\n";
  for (const std::string& w : offered) list += w + "  ";
  std::fprintf(stderr, "%s\n", list.c_str());
  return CC_REDISPLAY;
}

struct ElDeleter {
  void operator()(EditLine* el) const { el_end(el); }
};

// The terminal's modes as they were before the prompt: restored on the way out, also when
// Ctrl-C (or a hangup, a kill) ends brm at a prompt, so that the shell is not left without
// echo in libedit's raw mode.
termios saved_modes{};
constexpr int ending_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void restore_and_end(int sig) {
  tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);  // async-signal-safe
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// While a prompt is open: echo off from before libedit takes the terminal (keys typed
// ahead would show twice; libedit echoes what it edits itself), and the modes saved
// before restored on the way out, by a signal too.
class QuietTerminal {
 public:
  QuietTerminal() : ok_(tcgetattr(STDIN_FILENO, &saved_modes) == 0) {
    if (!ok_) return;
    struct sigaction restore {};
    restore.sa_handler = restore_and_end;
    for (std::size_t i = 0; i < std::size(ending_signals); ++i)
      sigaction(ending_signals[i], &restore, &before_[i]);
    termios quiet = saved_modes;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  ~QuietTerminal() {
    if (!ok_) return;
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);
    for (std::size_t i = 0; i < std::size(ending_signals); ++i)
      sigaction(ending_signals[i], &before_[i], nullptr);
  }
  QuietTerminal(const QuietTerminal&) = delete;
  QuietTerminal& operator=(const QuietTerminal&) = delete;

 private:
  bool ok_;
  struct sigaction before_[std::size(ending_signals)] = {};
};

}  // namespace

std::optional<std::string> read_line(std::string_view prompt, const Completer& complete) {
  // libedit decodes what is typed by the locale's character type: UTF-8 names stay whole.
  std::string was = std::setlocale(LC_CTYPE, nullptr);
  std::setlocale(LC_CTYPE, "");
  Session s{std::string(prompt), complete ? &complete : nullptr};
  std::optional<std::string> answer;
  {
    std::unique_ptr<EditLine, ElDeleter> el(el_init("brm", stdin, stderr, stderr));
    el_set(el.get(), EL_CLIENTDATA, &s);
    el_set(el.get(), EL_PROMPT, prompt_of);
    el_set(el.get(), EL_EDITOR, "emacs");
    if (s.complete) {
      // The wide form: el_set copies the name and help with wcsdup and never frees them,
      // el_wset keeps the pointers it is given, and literals outlive the editor.
      el_wset(el.get(), EL_ADDFN, L"brm-complete", L"complete the answer", complete_line);
      el_set(el.get(), EL_BIND, "^I", "brm-complete", nullptr);
    }
    QuietTerminal quiet;  // after el_init, which sets the terminal's modes
    // The editor's modes before the prompt shows, so that keys typed as soon as it shows
    // (an end of input above all, which the switch would lose) reach the editor.
    el_set(el.get(), EL_PREP_TERM, 1);
    int count = 0;
    if (const char* line = el_gets(el.get(), &count); line && count > 0) {
      answer = line;
      while (!answer->empty() && (answer->back() == '\n' || answer->back() == '\r'))
        answer->pop_back();
    }
  }
  std::setlocale(LC_CTYPE, was.c_str());
  return answer;
}

}  // namespace brm::cli
