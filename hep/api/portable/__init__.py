"""hep program files: export a program or template, import one as a template."""
