"""Loading public data files (NPPES, NUCC, CMS) into the directory."""
