# The two commands of the quick start, and the few others a developer needs.
#   make example         installs what is missing, builds, runs brm on the example repository
#   make test            installs what is missing, builds with warnings as errors, runs every test
#   make test-sanitize   every test again, built with AddressSanitizer and UBSan (build-asan)
#   make fuzz            builds the fuzz targets with clang and runs each for FUZZ_SECONDS
#   make lint            clang-tidy: no function of lib/ or cmd/ over 80 lines or a cognitive
#                        complexity of 40 (.ci/function-size, on build-asan's compile database)
PREFIX ?= /usr/local
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
EXAMPLE := examples/example-group
# One clang build serves the sanitizer run and the fuzzers (CI compiles it once, not twice):
# AddressSanitizer, UBSan and libFuzzer's coverage instrumentation everywhere, at -O1 (the
# tests run some 2x faster than at -O0) with line tables for the reports' stacks.
SANITIZE_BUILD ?= build-asan
FUZZ_BUILD ?= $(SANITIZE_BUILD)
FUZZ_SECONDS ?= 60
# ccache when it is there: CI rebuilds the same sources in a fresh clone.
LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR := $(CURDIR)

# Debian packages the build and the tests need.
DEBS := cmake g++ make pkg-config git python3 python3-yaml libcli11-dev libyaml-cpp-dev libfmt-dev \
        libgit2-dev doctest-dev libutf8proc-dev libpcre2-dev libedit-dev libmd-dev
# The robustness tests trace system calls; the report test renders in Chromium and reads the
# PDF with poppler; the fuzzers need clang's libFuzzer.
TEST_DEBS := strace chromium poppler-utils
# The manual is linted, the .deb built and unpacked, the completions run in each shell.
TEST_DEBS += mandoc dpkg-dev bash-completion zsh fish
# .ci/function-size lists the functions over the size and complexity thresholds; the C++
# sources are checked against .clang-format.
TEST_DEBS += clang-tidy clang-format
FUZZ_DEBS := clang libclang-rt-14-dev

.PHONY: all deps build example test test-sanitize fuzz lint install deb clean

all: build

deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

CONFIGURE = cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DBRM_WERROR=ON $(LAUNCHER)

build: deps
	$(CONFIGURE)
	cmake --build $(BUILD) -j$(JOBS)

example: build
	./$(BUILD)/brm -C $(EXAMPLE) check
	BRM_TODAY=2026-11-26 ./$(BUILD)/brm -C $(EXAMPLE) measure

test: build
	@$(MAKE) --no-print-directory deps DEBS="$(TEST_DEBS)"
	@# The editor and CI tests run Node tools from npm (Debian's npm; a NodeSource node has its own).
	@command -v npm >/dev/null || $(MAKE) --no-print-directory deps DEBS="nodejs npm"
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

SANITIZE_CONFIGURE = cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DBRM_SANITIZE=ON -DBRM_FUZZ=ON $(LAUNCHER)

test-sanitize: deps
	@$(MAKE) --no-print-directory deps DEBS="$(TEST_DEBS) $(FUZZ_DEBS)"
	$(SANITIZE_CONFIGURE)
	cmake --build $(SANITIZE_BUILD) -j$(JOBS)
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j$(JOBS)

# One worker per target (-jobs is left alone), JOBS targets at a time: the machines have
# two cores. Findings land in $(FUZZ_BUILD)/artifacts; a found input goes to
# tests/fuzz/regressions/<target>/ (make test-sanitize replays them, as does this).
fuzz: deps
	@$(MAKE) --no-print-directory deps DEBS="$(FUZZ_DEBS)"
	$(SANITIZE_CONFIGURE)
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_record fuzz_csv fuzz_yaml_block fuzz_merge fuzz_git_index fuzz_seeds
	cd $(FUZZ_BUILD) && ctest --output-on-failure --no-tests=ignore -R '^fuzz-regressions/'
	tests/fuzz/run-fuzzers $(FUZZ_BUILD) $(FUZZ_SECONDS) $(JOBS)

# Needs only the compile database of the configured clang build, not the build itself.
lint: deps
	@$(MAKE) --no-print-directory deps DEBS="$(TEST_DEBS) $(FUZZ_DEBS)"
	$(SANITIZE_CONFIGURE)
	.ci/function-size $(SANITIZE_BUILD)

# Only what is installed is built (brm, the manual, the completions), not the tests.
install: deps
	$(CONFIGURE)
	cmake --build $(BUILD) -j$(JOBS) --target brm brm_docs
	cmake --install $(BUILD) --prefix $(PREFIX)

# $(BUILD)/brm_<version>_<arch>.deb; its dependencies come from dpkg-shlibdeps (dpkg-dev).
deb: deps
	@$(MAKE) --no-print-directory deps DEBS="dpkg-dev"
	$(CONFIGURE)
	cmake --build $(BUILD) -j$(JOBS) --target brm brm_docs
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD)
