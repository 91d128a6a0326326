// The parsing floor of the benchmark: what yaml-cpp alone costs to parse every file that
// brm check reads (brm.yaml and each kind's *.yaml), with nothing else done; and, for
// comparison, libyaml (the C parser under PyYAML's CSafeLoader).
//
//   yaml-floor events REPO [THREADS]    yaml-cpp's event API, a handler that does nothing
//   yaml-floor nodes REPO [THREADS]     YAML::Load, building a YAML::Node per file
//   yaml-floor libyaml REPO [THREADS]   libyaml's yaml_parser_parse, every event dropped
//
// Files are read whole into memory first, as brm does; with THREADS > 1 the files are
// shared out between threads the way brm shares them between cores.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>
#include <yaml.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

class NoOp : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

std::vector<fs::path> record_files(const fs::path& repo) {
  std::vector<fs::path> files{repo / "brm.yaml"};
  for (const char* folder : {"customers", "agreements", "complaints", "meetings", "surveys",
                             "services", "requirements"}) {
    std::error_code ec;
    std::vector<fs::path> in_folder;
    for (fs::directory_iterator it(repo / folder, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.size() > 5 && name[0] != '.' && name.ends_with(".yaml"))
        in_folder.push_back(it->path());
    }
    std::sort(in_folder.begin(), in_folder.end());
    files.insert(files.end(), in_folder.begin(), in_folder.end());
  }
  return files;
}

std::string read_whole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool parse_libyaml(const std::string& text) {
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  bool ok = true;
  for (bool done = false; !done;) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      ok = false;
      break;
    }
    done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  return ok;
}

enum class Mode { Events, Nodes, Libyaml };

// Returns whether the file parsed.
bool parse(const std::string& text, Mode mode) {
  if (mode == Mode::Libyaml) return parse_libyaml(text);
  bool nodes = mode == Mode::Nodes;
  try {
    if (nodes) {
      YAML::Node n = YAML::Load(text);
      return n.IsDefined();
    }
    std::istringstream in(text);
    YAML::Parser parser(in);
    NoOp handler;
    while (parser.HandleNextDocument(handler)) {
    }
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (argc < 3 || (mode != "events" && mode != "nodes" && mode != "libyaml")) {
    std::fputs("usage: yaml-floor events|nodes|libyaml REPO [THREADS]\n", stderr);
    return 2;
  }
  Mode m = mode == "nodes" ? Mode::Nodes : mode == "libyaml" ? Mode::Libyaml : Mode::Events;
  unsigned threads = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3])) : 1;
  std::vector<fs::path> files = record_files(argv[2]);

  std::atomic<std::size_t> next{0}, failed{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();)
      if (!parse(read_whole(files[i]), m)) ++failed;
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::printf("parsed %zu files, %zu failed\n", files.size(), failed.load());
  return failed ? 1 : 0;
}
