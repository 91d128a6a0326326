// Findings in the forms CI services read: SARIF 2.1.0 (GitHub code scanning) and the
// Code Climate JSON of GitLab's Code Quality report; and the folder their paths are
// relative to, so that annotations attach when brm.yaml sits in a subfolder.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "brm/diagnostic.hpp"

namespace brm {

// The brm root as seen from the root CI services name paths from: $GITHUB_WORKSPACE or
// $CI_PROJECT_DIR when set and holding the brm root, else the git work tree's root; ""
// or "sub/dir/". Outside git and CI, "".
std::string report_path_prefix(const std::filesystem::path& brm_root);

// Each finding's file with `prefix` put in front (brm.yaml -> sub/dir/brm.yaml).
void prefix_paths(Diagnostics& ds, std::string_view prefix);

// A SARIF 2.1.0 log of one run: the rule catalogue as tool.driver.rules, one result per
// finding with its file (a URI relative to the checkout) and position.
std::string format_sarif(const Diagnostics& ds);

// GitLab Code Quality: an array of issues with description, check_name, a fingerprint
// that stays the same while the finding does, severity and location.
std::string format_codeclimate(const Diagnostics& ds);

}  // namespace brm
