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
# rotated clips for the tests) and LibreOffice Impress without its GUI (turns .pptx decks into
# PDF when an operator loads one). Installed when run as root; otherwise says what to do.
system:
	@missing=""; \
	fc-list 2>/dev/null | grep -qi nanum || missing="$$missing fonts-nanum"; \
	command -v ffmpeg >/dev/null || missing="$$missing ffmpeg"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-impress-nogui"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "설치 중 / installing:$$missing"; \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null)) || \
	  echo "주의: 설치하지 못했습니다 / warning: could not install:$$missing (tests that need them are skipped)"; \
	else echo "주의: 'sudo apt-get install$$missing' 을 실행하세요 / note: run 'sudo apt-get install$$missing'"; fi

run: $(STAMP) system
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
