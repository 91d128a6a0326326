// The list of commands, for main.cpp and `brm help`.
#pragma once

#include <vector>

#include "cli.hpp"

namespace brm::cli {

const std::vector<Command>& commands();

}  // namespace brm::cli
