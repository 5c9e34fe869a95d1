# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench fonts clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Korean font: installs Debian's fonts-nanum when run as root; otherwise says what to do.
fonts:
	@if fc-list 2>/dev/null | grep -qi nanum; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "fonts-nanum 설치 중 / installing fonts-nanum"; \
	  (apt-get install -y -q fonts-nanum >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q fonts-nanum >/dev/null)); \
	else echo "주의: 한글 글꼴이 없습니다. 'sudo apt-get install fonts-nanum' / note: no Korean font; run 'sudo apt-get install fonts-nanum'"; fi

run: $(STAMP) fonts
	$(BIN)/signage --config config.yaml timeline

test: $(STAMP) fonts lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check signage tests tools
	$(BIN)/lint-imports

bench: $(STAMP) fonts
	$(BIN)/signage --config config.yaml bench

clean:
	rm -rf $(VENV) .pytest_cache var/snapshots
