"""Report files: one `Table` (columns with types, rows streamed from the database) written as CSV, XLSX or
PDF. The reports build the table; these modules only know how to write one."""
