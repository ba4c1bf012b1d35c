//! Character classes and formats several services share.

/// Letters, digits, spaces and `_.:=+-@` (the tag APIs' character set).
pub fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || " _.:=+-@".contains(c)
}
/// Lowercase hex digits and `-` (enterprise project ids).
pub fn eps_char(c: char) -> bool {
    c.is_ascii_digit() || ('a'..='f').contains(&c) || c == '-'
}
pub fn starts_with_letter(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}
/// A UTC time of day `HH:mm`, 00:00 to 23:59.
pub fn hh_mm(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |i: usize| (b[i] as char).to_digit(10).zip((b[i + 1] as char).to_digit(10)).map(|(x, y)| x * 10 + y);
    b.len() == 5 && b[2] == b':' && num(0).is_some_and(|h| h < 24) && num(3).is_some_and(|m| m < 60)
}
/// The end of a window: `HH:mm` from 00:00 to 24:00 (the end of the day).
pub fn hh_mm_end(s: &str) -> bool {
    hh_mm(s) || s == "24:00"
}
/// `HH:mm` or `HH:mm:ss`.
pub fn time_of_day(s: &str) -> bool {
    match s.len() {
        _ if !s.is_ascii() => false,
        5 => hh_mm(s),
        8 => hh_mm(&s[..5]) && s.as_bytes()[5] == b':' && s[6..].bytes().all(|b| b.is_ascii_digit()) && s[6..] < *"60",
        _ => false,
    }
}
/// A tag key must not start with `_sys_` nor start or end with a space.
pub fn tag_key(s: &str) -> bool {
    s.trim() == s && !s.starts_with("_sys_")
}

/// Length 8-32, at least three of lowercase, uppercase, digits and `specials` (space counts as
/// special), only those characters, not starting with `-`. The message never shows the value.
pub fn password_problem(p: &str, specials: &str) -> Option<String> {
    let (n, special) = (p.chars().count(), |c: char| specials.contains(c) || c == ' ');
    let kinds = [char::is_ascii_lowercase, char::is_ascii_uppercase, char::is_ascii_digit];
    let kinds = kinds.iter().filter(|k| p.chars().any(|c| k(&c))).count() + usize::from(p.chars().any(special));
    if !(8..=32).contains(&n) {
        Some(format!("must be 8 to 32 characters long, got {n}"))
    } else if p.starts_with('-') {
        Some("must not start with a hyphen (-)".into())
    } else if p.chars().any(|c| !c.is_ascii_alphanumeric() && !special(c)) {
        Some(format!("may only contain letters, digits, spaces and the special characters {specials}"))
    } else {
        (kinds < 3).then(|| {
            "must contain at least three of: lowercase letters, uppercase letters, digits, special characters".into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        for ok in ["00:00", "22:00", "23:59", "09:59"] {
            assert!(hh_mm(ok) && time_of_day(ok), "{ok}");
        }
        for bad in ["24:00", "24:01", "9:00", "ab:cd", "12:60", "1200", "１２:00"] {
            assert!(!hh_mm(bad), "{bad}");
        }
        assert!(time_of_day("23:59:59") && !time_of_day("23:59:60") && !time_of_day("23:59:+1"));
        assert!(hh_mm_end("24:00") && hh_mm_end("00:00") && !hh_mm_end("24:01"));
    }
}
