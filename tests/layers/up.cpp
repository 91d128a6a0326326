// Built by the `layers-build` test, never by `all`: the git layer including a header of the
// repo layer above it. The build must refuse it, because brm_git's include path holds
// nothing of the layers above.
#include "brm/repository.hpp"

int layer_probe_up() { return 0; }
