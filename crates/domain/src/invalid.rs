use std::fmt;

/// Why a value was refused: a message id of the Fluent files and the arguments it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The Fluent message id, for example `error-email-invalid`.
    pub message: &'static str,
    /// Named arguments of the message (`max`, `value`…), already formatted.
    pub args: Vec<(&'static str, String)>,
}

impl Invalid {
    /// A refusal with no argument.
    pub fn new(message: &'static str) -> Self {
        Self { message, args: Vec::new() }
    }

    /// Adds a named argument to the message.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl fmt::Display + Copy) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)?;
        for (name, value) in &self.args {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

/// The refusals of a whole form or request body, each tied to the field it concerns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(String, Invalid)>);

impl FieldErrors {
    /// Records a refusal for a field.
    pub fn add(&mut self, field: &str, invalid: Invalid) {
        self.0.push((field.to_owned(), invalid));
    }

    /// Parses one field, recording the refusal and returning `None` when it fails, so that a
    /// form reports every bad field at once instead of stopping at the first.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.add(field, invalid);
                None
            }
        }
    }

    /// True when nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The refusal recorded for a field, if any.
    pub fn get(&self, field: &str) -> Option<&Invalid> {
        self.0.iter().find(|(name, _)| name == field).map(|(_, invalid)| invalid)
    }

    /// `Ok(value)` when nothing was refused, the errors otherwise.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(value()) } else { Err(self) }
    }
}

impl From<(&str, Invalid)> for FieldErrors {
    fn from((field, invalid): (&str, Invalid)) -> Self {
        Self(vec![(field.to_owned(), invalid)])
    }
}
