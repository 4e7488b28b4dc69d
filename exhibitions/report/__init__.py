"""The cooperative's report after a show: figures (selectors), exchange rates (services),
SVG charts, Excel and PDF exports, and the staff, company and year-over-year pages."""
