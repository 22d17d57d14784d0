"""The shared cost core: cited input tables, the models authors declare, their evaluation.

Pure: it imports nothing else from citeguide but the `untrusted` leaf, and does no I/O
(the caller reads files and passes their parsed YAML). Money is Decimal with an ISO
currency; a month is 730 hours (8,760 / 12). Models are described in docs/models.md.

Where things live, in the order data flows:
- numbers and units: `quantities` (numbers as authors write them), `units`, `format`;
- tables: `table_schema` (what a table file may hold), `table_loading` (a parsed file to
  a `Table`), `table_data` (tables as formulas see them);
- models: `model_spec` (what a model file may hold), `formula` (the grammar), `typecheck`
  (one formula to a compiled tree), `conversions`, `call_graph`, `compile` (a site's
  models to a `Library`), `library` (compiled models);
- evaluation: `evaluate` (the entry point), `interpreter` (running a compiled model),
  `frame`, `values`, `currency`, `ranges`, `results`, `display` (writing quantities);
- for pages and twins: `series` (charts' lines and crossings), `export` (models and
  tables as data for the JSON twin and the page's script).
"""
