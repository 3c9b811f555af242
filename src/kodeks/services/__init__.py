"""Use cases as plain functions: arguments + a unit of work in, a result out."""
