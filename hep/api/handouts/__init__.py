"""Printable handouts of a program version: for the print view and as a PDF."""
