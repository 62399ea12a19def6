//! Education context rules: pure functions over plain data, no I/O.
