// What the fuzz targets do with one input, apart from libFuzzer, so that the unit tests
// can replay every input that once broke brm (tests/fuzz/regressions/) in the normal build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace brm::fuzz {

// One file's bytes through the loader, the schemas, the rules beyond one file (in a small
// repository: brm.yaml, a customer, a purchaser, a service and the file), the measures,
// the agenda, the reports and the exports. The first byte says where the rest goes:
//   byte % 16 = 0..6    a record of that kind (customers, agreements, ... as in kinds.hpp)
//   byte % 16 = 7       brm.yaml itself
//   byte % 16 = 8..14   the repository's own schema/<kind>.schema.yaml for kind byte%16-8
//   byte % 16 = 15      a customer record, like 0
// Returns "" when every property held, else what broke (a crash is found by the
// sanitizers instead). Properties: a valid record's canonical text reads back as the same
// record and is a fixed point; export CSV parses with one cell per column.
std::string run_record_input(const std::uint8_t* data, std::size_t size);

// CSV bytes through parse_csv; every row parsed is written back with csv_line and must
// parse again to the same number of cells.
std::string run_csv_input(const std::uint8_t* data, std::size_t size);

// YAML text through the subset reader and through yaml-cpp: wherever the subset reader
// accepts the text (valid UTF-8, as the loader checks first), the two event logs,
// marks included, must be equal.
std::string run_yaml_block_input(const std::uint8_t* data, std::size_t size);

// Random edits of valid records through the record merge (brm merge-file). The bytes
// choose a kind and its base record, then edits for each side (set or remove a field to
// a value of another valid record of the kind, add or remove list items, change an
// item's field); sides that do not validate are passed over. Properties: a clean merge
// validates; a top-level field changed on one side only is in the result as that side
// has it; with conflicts, taking either side of every marker region gives a record.
std::string run_merge_input(const std::uint8_t* data, std::size_t size);

// Bytes as git's index file (.git/index) without its final checksum, which is added (a
// fuzzer could not make one), through the reader a write's commit uses
// (lib/git/git_index_file.hpp): it takes an index or says no, never more. Properties: what
// it would write reads back and is written again the same; an entry put in is there, in
// order, in what it writes.
std::string run_git_index_input(const std::uint8_t* data, std::size_t size);

// Fixes what the results depend on (today's date) once per process.
void init_fuzzing();

}  // namespace brm::fuzz
