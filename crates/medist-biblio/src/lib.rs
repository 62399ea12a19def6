//! Bibliographic parsing for the outputs context. Pure: readers in, records and located errors out.
