# The two commands of the README: `make run` and `make test`.
SWIFT ?= swift
APT_PACKAGES := liblua5.4-dev lua5.4 libedit-dev
BIN := .build/debug/flireo

.PHONY: run test build deps release bench clean

# Installs what is missing (Debian packages), builds, and opens the REPL on the
# embedded sandbox (or runs the demo when stdin is not a terminal).
run: deps build
	@$(BIN) --sandbox $(if $(shell [ -t 0 ] && echo tty),,stdlib/demo.lua)

# Every test: the Swift test suites (which drive the built binary, the sandbox,
# the Lua test files and the pty tests).
test: deps build
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build:
	$(SWIFT) build --product flireo

release:
	$(SWIFT) build -c release --product flireo

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf .build
