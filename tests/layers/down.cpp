// Built by the `layers-build` test, never by `all`: the git layer including headers of
// its own layer and of the layers below it, which the build must accept.
#include "brm/git.hpp"
#include "brm/schema.hpp"
#include "brm/value.hpp"
#include "brm/yaml.hpp"

int layer_probe_down() { return 0; }
