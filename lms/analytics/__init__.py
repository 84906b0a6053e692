"""Comprehension-gap analytics (issue 6): aggregates computed in SQL, shaped with pandas, drawn with plotly.

`gaps` runs the GROUP BY queries and returns small pandas frames; `figures` turns those frames into plotly
figures and serves the plotly.js bundle that ships inside the installed plotly package (no CDN).
"""
