//! One declaration per table of names: an enum whose values have one fixed spelling.
//!
//! Finding codes, source ids, endpoint ids and cell outcomes are public contracts (see
//! docs/json.md): the same word must appear in JSON, text, Markdown, JUnit and on the
//! command line. Writing the variant, the list of all values, the spelling and the
//! description as four parallel lists let them drift apart; [`names!`] takes one line per
//! value and derives the rest, so adding a value is adding one line:
//!
//! ```ignore
//! names! {
//!     /// What the enum is.
//!     pub enum Colour {
//!         /// Shown by `description()`; it is also the variant's doc comment.
//!         Red = "red",
//!     }
//! }
//! ```
//!
//! Each value gets `as_str` (the spelling, used by serde and every renderer), `Display`
//! (the same spelling), `ALL` (declaration order), `parse` (the spelling back) and
//! `description` (its doc comment as one line).

/// Declares a name table; see the module documentation.
macro_rules! names {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[doc = $doc:literal])+ $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[doc = $doc])+ $variant, )+
        }

        #[allow(dead_code)]
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The one spelling of the value: JSON, text, Markdown, JUnit, command line.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// The value spelled `text`, if any.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.as_str() == text)
            }

            /// One sentence: the value's doc comment.
            pub fn description(self) -> &'static str {
                match self {
                    $( $name::$variant => concat!($($doc),+).trim_start(), )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($text),+] })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use names;

#[cfg(test)]
mod tests {
    names! {
        /// A test table.
        enum Colour {
            /// Warm.
            Red = "red",
            /// Two lines
            /// of doc.
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn one_declaration_gives_every_view() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
        assert_eq!(Colour::DarkBlue.to_string(), "dark_blue");
        assert_eq!(serde_json::to_value(Colour::DarkBlue).unwrap(), "dark_blue");
        assert_eq!(Colour::parse("red"), Some(Colour::Red));
        assert_eq!(Colour::parse("Red"), None);
        assert_eq!(Colour::Red.description(), "Warm.");
        assert_eq!(Colour::DarkBlue.description(), "Two lines of doc.");
    }
}
