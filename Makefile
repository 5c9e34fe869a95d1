# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench system clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Debian packages: the Korean font (fonts-nanum), ffmpeg (H.264 clips for the benchmark and
# rotated clips for the tests), LibreOffice Impress without its GUI (turns .pptx decks into
# PDF when an operator loads one), PulseAudio (the sound tests and benchmark start a private
# server with a null sink; the player itself uses the hall's own PulseAudio or PipeWire), the X11
# libraries Qt's xcb platform plugin loads (without them the walls cannot open on an X display), and
# Chromium (the web app's browser tests drive it headless through Playwright; without it they skip).
# libfaketime steps the wall clock in `signage bench --only soak`.
# Installed when run as root; otherwise says what to do.
XCB_LIBS = libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 \
	libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 \
	libxcb-randr.so.0:libxcb-randr0 libxcb-xkb.so.1:libxcb-xkb1 libxkbcommon-x11.so.0:libxkbcommon-x11-0
system:
	@missing=""; \
	fc-list 2>/dev/null | grep -qi nanum || missing="$$missing fonts-nanum"; \
	for pair in $(XCB_LIBS); do \
	  ldconfig -p 2>/dev/null | grep -q "$${pair%%:*}" || missing="$$missing $${pair##*:}"; \
	done; \
	command -v ffmpeg >/dev/null || missing="$$missing ffmpeg"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-impress-nogui"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v pulseaudio >/dev/null || missing="$$missing pulseaudio"; \
	ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1 || missing="$$missing faketime"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "설치 중 / installing:$$missing"; \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null)) || \
	  echo "주의: 설치하지 못했습니다 / warning: could not install:$$missing (tests that need them are skipped)"; \
	else echo "주의: 'sudo apt-get install$$missing' 을 실행하세요 / note: run 'sudo apt-get install$$missing'"; fi

run: $(STAMP) system
	@echo "웹 앱 / web app: 다른 터미널에서 $(BIN)/signage serve 로 시작 — http://127.0.0.1:8080/"
	$(BIN)/signage --config config.yaml run

test: $(STAMP) system lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check signage tests tools
	$(BIN)/lint-imports

bench: $(STAMP) system
	$(BIN)/signage --config config.yaml bench

clean:
	rm -rf $(VENV) .pytest_cache var/snapshots
