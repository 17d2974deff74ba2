"""Reports from a self-evaluation: the chart (PNG), the PDF, CSV and JSON exports."""
