// A fast reader for the part of YAML that record files are written in: block mappings
// and sequences, one-line scalars (plain, or quoted without escapes), one-line flow
// lists and maps of scalars, and literal block scalars. It hands yaml-cpp's own events
// to yaml-cpp's EventHandler, with the same marks, so the tree builder cannot tell the
// two apart. Anything outside that subset, and anything yaml-cpp would reject, is left
// to yaml-cpp: the subset reader then returns false having emitted nothing.
//
// Why: yaml-cpp's scanner tests every character against a tree of regular expressions
// and was 60% of a cold `brm check`; on the benchmark's 25,375 records this reader takes
// 21 ms where yaml-cpp's events take 780 ms (one thread).
// yaml-cpp stays the authority: the unit tests and the fuzz target `fuzz_yaml_block`
// check that wherever this reader accepts a text, its events equal yaml-cpp's.
#pragma once

#include <string>
#include <string_view>

namespace YAML {
class EventHandler;
}

namespace brm {

// Emits the events of the one document in `text` (a byte-order mark already removed)
// to `handler` and returns true, or returns false without emitting anything when `text`
// is not within the subset. Exceptions thrown by the handler pass through.
bool scan_block_yaml(std::string_view text, YAML::EventHandler& handler);

// The events of `text` as lines of text, one per event with its position, for tests:
// through yaml-cpp's parser (every document; a parse error ends the log with "error"),
// or through scan_block_yaml ("" when it declines the text).
std::string yaml_cpp_event_log(std::string_view text);
std::string block_yaml_event_log(std::string_view text);

}  // namespace brm
