//! Schemas as a provider's code writes them, and their two translations: the protocol's `Schema` message
//! and the cty [`Type`] every value of the schema is encoded with.

use std::collections::HashMap;

use crate::proto::tfplugin6 as pb;
use crate::value::Type;

/// A description and how Terraform shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Description {
    pub content: String,
    pub markdown: bool,
}

impl Description {
    pub fn plain(content: impl Into<String>) -> Self {
        Description { content: content.into(), markdown: false }
    }

    pub fn markdown(content: impl Into<String>) -> Self {
        Description { content: content.into(), markdown: true }
    }

    fn kind(&self) -> i32 {
        (if self.markdown { pb::StringKind::Markdown } else { pb::StringKind::Plain }) as i32
    }
}

/// An attribute's type: a cty type (`Type::Dynamic` for any).
pub type AttributeType = Type;

/// Who sets an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeConstraint {
    Required,
    Optional,
    /// Set by the provider only.
    Computed,
    /// Set by the configuration, else by the provider.
    OptionalComputed,
}

/// One attribute of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub attr_type: AttributeType,
    pub description: Description,
    pub constraint: AttributeConstraint,
    pub sensitive: bool,
    pub deprecated: bool,
    /// Given in the configuration only: Terraform passes it to validation, plan and apply and stores it
    /// nowhere (protocol 6.8, Terraform 1.11); the provider must answer null for it.
    pub write_only: bool,
}

impl Attribute {
    /// An attribute with nothing but its type, constraint and description set.
    pub fn new(attr_type: AttributeType, constraint: AttributeConstraint, description: Description) -> Self {
        Attribute { attr_type, description, constraint, sensitive: false, deprecated: false, write_only: false }
    }
}

/// How a nested block repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NestedBlock {
    /// Exactly once.
    Single(Block),
    /// Any number of times, in order.
    List(Block),
    /// Any number of times, unordered.
    Set(Block),
    /// At most once, as a list of at most one element (null when absent).
    Optional(Block),
}

/// A block: attributes and nested blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Block {
    pub version: i64,
    pub attributes: HashMap<String, Attribute>,
    pub blocks: HashMap<String, NestedBlock>,
    pub description: Description,
    pub deprecated: bool,
}

impl Block {
    /// The object type of the block's values.
    pub fn to_type(&self) -> Type {
        let attributes = self.attributes.iter().map(|(k, a)| (k.clone(), a.attr_type.clone()));
        let blocks = self.blocks.iter().map(|(k, b)| {
            let t = match b {
                NestedBlock::Single(b) => b.to_type(),
                NestedBlock::List(b) | NestedBlock::Optional(b) => Type::list(b.to_type()),
                NestedBlock::Set(b) => Type::set(b.to_type()),
            };
            (k.clone(), t)
        });
        Type::object(attributes.chain(blocks))
    }

    /// The names of the write-only attributes, with the path of blocks they sit in.
    pub fn write_only(&self) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> =
            self.attributes.iter().filter(|(_, a)| a.write_only).map(|(k, _)| vec![k.clone()]).collect();
        for (name, nested) in &self.blocks {
            let (NestedBlock::Single(b) | NestedBlock::List(b) | NestedBlock::Set(b) | NestedBlock::Optional(b)) =
                nested;
            out.extend(b.write_only().into_iter().map(|mut p| {
                p.insert(0, name.clone());
                p
            }));
        }
        out.sort();
        out
    }

    fn to_proto(&self) -> pb::schema::Block {
        use pb::schema::nested_block::NestingMode;
        let mut attributes: Vec<_> = self
            .attributes
            .iter()
            .map(|(name, a)| pb::schema::Attribute {
                name: name.clone(),
                r#type: a.attr_type.clone().to_json(),
                nested_type: None,
                description: a.description.content.clone(),
                description_kind: a.description.kind(),
                required: a.constraint == AttributeConstraint::Required,
                optional: matches!(a.constraint, AttributeConstraint::Optional | AttributeConstraint::OptionalComputed),
                computed: matches!(a.constraint, AttributeConstraint::Computed | AttributeConstraint::OptionalComputed),
                sensitive: a.sensitive,
                deprecated: a.deprecated,
                write_only: a.write_only,
            })
            .collect();
        attributes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut block_types: Vec<_> = self
            .blocks
            .iter()
            .map(|(name, nested)| {
                let (nesting, block, min, max) = match nested {
                    NestedBlock::Single(b) => (NestingMode::Single, b, 1, 1),
                    NestedBlock::List(b) => (NestingMode::List, b, 0, 0),
                    NestedBlock::Set(b) => (NestingMode::Set, b, 0, 0),
                    NestedBlock::Optional(b) => (NestingMode::List, b, 0, 1),
                };
                pb::schema::NestedBlock {
                    type_name: name.clone(),
                    block: Some(block.to_proto()),
                    nesting: nesting as i32,
                    min_items: min,
                    max_items: max,
                }
            })
            .collect();
        block_types.sort_by(|a, b| a.type_name.cmp(&b.type_name));
        pb::schema::Block {
            version: self.version,
            attributes,
            block_types,
            description: self.description.content.clone(),
            description_kind: self.description.kind(),
            deprecated: self.deprecated,
        }
    }
}

/// A provider's, resource's or data source's schema; `version` is the state's schema version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

impl Schema {
    pub fn to_proto(&self) -> pb::Schema {
        pb::Schema { version: self.version, block: Some(self.block.to_proto()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(t: Type, c: AttributeConstraint) -> Attribute {
        Attribute::new(t, c, Description::plain(""))
    }

    #[test]
    fn a_schema_gives_its_type_and_its_message() {
        let mut nested = Block::default();
        nested.attributes.insert(
            "password".into(),
            Attribute { write_only: true, ..attr(Type::String, AttributeConstraint::Optional) },
        );
        let mut block = Block::default();
        block.attributes.insert("id".into(), attr(Type::String, AttributeConstraint::Computed));
        block.attributes.insert("size".into(), attr(Type::Number, AttributeConstraint::OptionalComputed));
        block.blocks.insert("user".into(), NestedBlock::Optional(nested));
        let schema = Schema { version: 1, block };
        assert_eq!(
            schema.block.to_type(),
            Type::object([
                ("id", Type::String),
                ("size", Type::Number),
                ("user", Type::list(Type::object([("password", Type::String)])))
            ])
        );
        assert_eq!(schema.block.write_only(), [vec!["user".to_string(), "password".to_string()]]);
        let message = schema.to_proto();
        let b = message.block.unwrap();
        assert_eq!(message.version, 1);
        let size = &b.attributes[1];
        assert_eq!((size.name.as_str(), size.optional, size.computed, size.required), ("size", true, true, false));
        assert_eq!(size.r#type, b"\"number\"");
        let user = &b.block_types[0];
        assert_eq!((user.min_items, user.max_items), (0, 1));
        assert!(user.block.as_ref().unwrap().attributes[0].write_only);
    }
}
