"""Reports: Excel workbooks and PDF documents built from the cycle's data."""
