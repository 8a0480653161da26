"""Renderers: turn frames into files a person keeps (CSV and XLSX exports). Above the services,
below the web pages and the command line that offer them."""
