# The global HTML report is built by `snakemake --report results/report.html` (see Makefile `run`):
# every output wrapped in report(..., category=<domain>) appears there with its RST caption.
