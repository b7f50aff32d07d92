//! Calendar dates as written in TOML, and how they are shown at their stated precision.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A calendar date. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

/// How precisely a date is known. The day written is kept for sorting either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatePrecision {
    /// Known to the day.
    #[default]
    Day,
    /// Known to the month: shown as "April 2024".
    Month,
    /// Known to the quarter: shown as "Q2 2024".
    Quarter,
    /// Only a lower bound is known (the day written is the earliest possible): shown as
    /// "after 18 April 2024".
    After,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// The quarter, 1–4.
    pub fn quarter(self) -> u8 {
        (self.month - 1) / 3 + 1
    }

    /// The month's English name.
    pub fn month_name(self) -> &'static str {
        MONTHS[usize::from(self.month.clamp(1, 12) - 1)]
    }

    /// ISO 8601: `2024-04-18`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// For readers, at the given precision: "18 April 2024", "April 2024" or "Q2 2024".
    pub fn display(self, precision: DatePrecision) -> String {
        match precision {
            DatePrecision::Day => format!("{} {} {}", self.day, self.month_name(), self.year),
            DatePrecision::Month => format!("{} {}", self.month_name(), self.year),
            DatePrecision::Quarter => format!("Q{} {}", self.quarter(), self.year),
            DatePrecision::After => format!("after {}", self.display(DatePrecision::Day)),
        }
    }

    /// The machine-readable form for `<time datetime>` at the given precision.
    pub fn machine(self, precision: DatePrecision) -> String {
        match precision {
            DatePrecision::Day => self.iso(),
            DatePrecision::Month => format!("{:04}-{:02}", self.year, self.month),
            // HTML has no quarter format; the year is the honest machine value.
            DatePrecision::Quarter => format!("{:04}", self.year),
            // The bound itself: the earliest the date can be.
            DatePrecision::After => self.iso(),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let value = toml::value::Datetime::deserialize(deserializer)?;
        match (value.date, value.time) {
            // A time of day would be dropped: shown as the day written and put in the feed as
            // midnight UTC, which for `23:30-05:00` is the wrong day. Dates are calendar days.
            (Some(d), Some(_)) => Err(serde::de::Error::custom(format!(
                "`{value}`: a date takes no time of day (write the day alone, {:04}-{:02}-{:02})",
                d.year, d.month, d.day
            ))),
            // HTML's `<time datetime>` (and Atom's dates) need a year after 0.
            (Some(d), None) if d.year == 0 => Err(serde::de::Error::custom(format!(
                "`{value}`: year 0 is not a date HTML or a feed can carry"
            ))),
            (Some(d), None) => Ok(Date {
                year: i32::from(d.year),
                month: d.month,
                day: d.day,
            }),
            (None, _) => Err(serde::de::Error::custom(
                "expected a date such as 2024-04-18, found a time of day only",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_at_each_precision() {
        let d = Date {
            year: 2024,
            month: 4,
            day: 18,
        };
        assert_eq!(d.display(DatePrecision::Day), "18 April 2024");
        assert_eq!(d.display(DatePrecision::Month), "April 2024");
        assert_eq!(d.display(DatePrecision::Quarter), "Q2 2024");
        assert_eq!(d.machine(DatePrecision::Month), "2024-04");
        assert_eq!(d.display(DatePrecision::After), "after 18 April 2024");
    }

    #[test]
    fn quarters_cover_the_year() {
        let q = |month| {
            Date {
                year: 2023,
                month,
                day: 1,
            }
            .quarter()
        };
        assert_eq!([q(1), q(3), q(4), q(9), q(10), q(12)], [1, 1, 2, 3, 4, 4]);
    }
}
