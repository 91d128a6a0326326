// Validates one JSON document (standard input) against one of brm's output schemas, with
// brm's own validator, so that tests can hold real command output against the schemas.
//
//   validate_json SCHEMA-DIR NAME < document.json
//
// Every *.schema.json in SCHEMA-DIR is registered under its file:// URI, so a schema may
// refer to another by its file name. Exit 0 valid, 1 invalid (each finding printed),
// 2 a schema or the document could not be read.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "brm/error.hpp"
#include "brm/json.hpp"
#include "brm/schema.hpp"

namespace fs = std::filesystem;

namespace {

bool parse(const std::string& what, const std::string& text, brm::Value* out) {
  brm::JsonError error;
  if (brm::parse_json(text, out, &error)) return true;
  std::cerr << what << ":" << error.mark.line << ":" << error.mark.column << ": " << error.message
            << "\n";
  return false;
}

std::string slurp(std::istream& in) {
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string uri_of(const fs::path& file) { return "file://" + fs::weakly_canonical(file).string(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: validate_json SCHEMA-DIR NAME < document.json\n";
    return 2;
  }
  brm::SchemaRegistry registry;
  brm::Value wanted;
  fs::path wanted_file = fs::path(argv[1]) / (std::string(argv[2]) + ".schema.json");
  for (const auto& entry : fs::directory_iterator(argv[1])) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    brm::Value schema;
    if (!parse(entry.path().string(), slurp(in), &schema)) return 2;
    if (entry.path() == wanted_file) wanted = schema;
    registry.add(uri_of(entry.path()), std::move(schema));
  }
  if (!wanted.is_mapping()) {
    std::cerr << "no schema " << wanted_file.string() << "\n";
    return 2;
  }
  brm::Value document;
  if (!parse("<stdin>", slurp(std::cin), &document)) return 2;
  try {
    brm::CompiledSchema schema = registry.compile(wanted, uri_of(wanted_file));
    std::vector<brm::SchemaFinding> findings;
    if (schema.validate(document, &findings)) return 0;
    for (const brm::SchemaFinding& f : findings)
      std::cout << argv[2] << ": " << (f.instance_path.empty() ? "/" : f.instance_path) << ": "
                << f.message << " [" << f.keyword << "]\n";
    return 1;
  } catch (const brm::Error& e) {
    std::cerr << wanted_file.string() << ": " << e.what() << "\n";
    return 2;
  }
}
