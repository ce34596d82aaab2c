"""Reports: server-side SVG charts shared by the web pages and the clinician report."""
