//! How a resource's list data source filters (declared in its definition; the data sources themselves
//! are in `data_source.rs`).

/// How a list data source filters: its arguments, named as the list API's query parameters.
#[derive(Debug, Clone, Copy)]
pub struct Listing {
    /// The list operation (its answers are the objects of a batched refresh and of the list data source).
    pub op: &'static hwapi::contract::Op,
    /// The list attribute (`instances`, `topics`).
    pub attribute: &'static str,
    pub filters: &'static [Filter],
}

/// One filter argument.
#[derive(Debug, Clone, Copy)]
pub struct Filter {
    pub name: &'static str,
    pub kind: FilterKind,
    pub required: bool,
    pub desc: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    Str,
    Bool,
    /// Several values, each sent as the query parameter again.
    StrList,
}

impl Filter {
    pub const fn new(name: &'static str, kind: FilterKind, desc: &'static str) -> Filter {
        Filter { name, kind, required: false, desc }
    }
    pub const fn required(mut self) -> Filter {
        self.required = true;
        self
    }
}
