# The two commands of the quick start, and the few others a developer needs.
#   make example   installs what is missing, builds, runs brm on the example repository
#   make test      installs what is missing, builds with warnings as errors, runs every test
PREFIX ?= /usr/local
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
EXAMPLE := examples/example-group

# Debian packages the build and the tests need.
DEBS := cmake g++ make pkg-config git python3 python3-yaml libcli11-dev libyaml-cpp-dev libfmt-dev \
        libgit2-dev doctest-dev

.PHONY: all deps build example test install clean

all: build

deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DBRM_WERROR=ON
	cmake --build $(BUILD) -j$(JOBS)

example: build
	./$(BUILD)/brm -C $(EXAMPLE) check
	BRM_TODAY=2026-11-26 ./$(BUILD)/brm -C $(EXAMPLE) measure

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD)
