# samestory: set-up and batch runs. Every target creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
IN     ?=
OUT    ?= out
DATA   ?= ../shared/data
DB     ?= news.db

.PHONY: run test report screenshot dedup stories daily eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,dask,bench]'
	touch $@

## make run: the report on the bundled sample corpus, on the terminal
run: $(VENV)/.installed
	$(BIN)/samestory report

## make test: the whole test suite (slow, end-to-end tests included)
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

## make report IN=path OUT=dir: terminal, JSON, Markdown and HTML reports of any corpus
report: $(VENV)/.installed
	@mkdir -p $(OUT)
	$(BIN)/samestory report $(IN) --format terminal -o $(OUT)/report.txt
	$(BIN)/samestory report $(IN) --format json -o $(OUT)/report.json
	$(BIN)/samestory report $(IN) --format markdown -o $(OUT)/report.md
	$(BIN)/samestory report $(IN) --format html -o $(OUT)/report.html
	@echo "reports written to $(OUT)/" >&2

## make screenshot: docs/report.png, the HTML report of the bundled corpus in headless Chromium (for the README)
screenshot: $(VENV)/.installed-test
	@mkdir -p $(OUT)
	$(BIN)/samestory report --format html -o $(OUT)/sample-report.html
	$(BIN)/python -m benchmarks.browser screenshot $(OUT)/sample-report.html docs/report.png

## make dedup IN=path OUT=dir: near-duplicate removal of any corpus
dedup: $(VENV)/.installed
	@test -n "$(IN)" || { echo "make dedup needs IN=path" >&2; exit 2; }
	@mkdir -p $(OUT)
	$(BIN)/samestory dedup $(IN) -o $(OUT)/kept.jsonl --duplicates $(OUT)/duplicates.jsonl

## make stories IN=path OUT=dir: a story id for every article
stories: $(VENV)/.installed
	@mkdir -p $(OUT)
	$(BIN)/samestory stories $(IN) -o $(OUT)/stories.jsonl

## make daily IN=path DB=news.db OUT=dir: add today's articles to the index, then today's report in every format
daily: $(VENV)/.installed
	@test -n "$(IN)" || { echo "make daily needs IN=path" >&2; exit 2; }
	@mkdir -p $(OUT)
	$(BIN)/samestory index add $(DB) $(IN) -o $(OUT)/added.jsonl
	$(BIN)/samestory index report $(DB) --format terminal -o $(OUT)/report.txt
	$(BIN)/samestory index report $(DB) --format json -o $(OUT)/report.json
	$(BIN)/samestory index report $(DB) --format markdown -o $(OUT)/report.md
	$(BIN)/samestory index report $(DB) --format html -o $(OUT)/report.html
	@echo "added.jsonl and today's reports written to $(OUT)/" >&2

## make eval: quality on the labeled corpora in ../shared/data
eval: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks.evaluate --data $(DATA)

## make bench: speed and memory (dedup against datasketch and rensa, stories against scikit-learn TF-IDF, report against stories)
bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks.bench

clean:
	rm -rf $(VENV) build *.egg-info out bench-data
