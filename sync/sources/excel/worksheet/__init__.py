"""The pieces of an output tab's worksheet XML that `sync.sources.excel.sheet` puts together."""
