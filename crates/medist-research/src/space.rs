//! Joint research institute space (공동연구소, about 1,332 m²) and equipment booking (연구장비 예약).
//!
//! Areas are integers in square decimetres (m² × 100), so sums are exact; they print as m² with two decimals.
//! Booking intervals are half-open `[start, end)`: a booking ending at 10:00 does not clash with one starting
//! at 10:00.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An area in square decimetres (1 m² = 100 dm²).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Area(pub i64);

/// The joint research institute's floor area: 1,332 m².
pub const JOINT_INSTITUTE_TOTAL: Area = Area(133_200);

impl Area {
    /// From whole square metres.
    pub fn from_m2(m2: i64) -> Self {
        Self(m2 * 100)
    }

    /// Parses `1332`, `1,332.5`, `12.34` (m², at most two decimals, not negative).
    pub fn parse_m2(s: &str) -> Option<Self> {
        let t: String = s.trim().chars().filter(|c| *c != ',').collect();
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (t.contains('.') && frac.is_empty()) {
            return None;
        }
        let whole: i64 = int.parse().ok()?;
        let cents: i64 = format!("{frac:0<2}").parse().ok()?;
        whole.checked_mul(100)?.checked_add(cents).map(Self)
    }
}

impl fmt::Display for Area {
    /// `1,332.00 m²`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let digits = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{grouped}.{:02} m²", abs % 100)
    }
}

/// A room or area of the institute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    /// Id, e.g. `FMIC-3F-301`.
    pub id: String,
    /// Floor area.
    pub area: Area,
}

/// A part of a room given to a group (lab, core facility, project).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// Room.
    pub room_id: String,
    /// Group it is given to.
    pub group: String,
    /// Area given.
    pub area: Area,
}

/// A problem with a space plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SpaceError {
    /// A room's area is zero or negative.
    #[error("room {room_id}: area must be positive")]
    NonPositiveRoomArea {
        /// Room.
        room_id: String,
    },
    /// A room is listed twice.
    #[error("room {room_id}: listed twice")]
    DuplicateRoom {
        /// Room.
        room_id: String,
    },
    /// The rooms add up to more than the institute.
    #[error("rooms: together {rooms} exceed the institute's total {total}")]
    RoomsExceedTotal {
        /// Sum of rooms.
        rooms: Area,
        /// Institute total.
        total: Area,
    },
    /// An allocation names an unknown room.
    #[error("allocation to {group}: unknown room {room_id}")]
    UnknownRoom {
        /// Room.
        room_id: String,
        /// Group.
        group: String,
    },
    /// An allocation's area is zero or negative.
    #[error("allocation to {group} in room {room_id}: area must be positive")]
    NonPositiveAllocation {
        /// Room.
        room_id: String,
        /// Group.
        group: String,
    },
    /// The allocations in a room exceed its area.
    #[error("room {room_id}: allocations {allocated} exceed its area {capacity}")]
    RoomOverAllocated {
        /// Room.
        room_id: String,
        /// Sum allocated.
        allocated: Area,
        /// Room area.
        capacity: Area,
    },
    /// The allocations exceed the institute's total.
    #[error("allocations: together {allocated} exceed the institute's total {total}")]
    TotalOverAllocated {
        /// Sum allocated.
        allocated: Area,
        /// Institute total.
        total: Area,
    },
}

/// Use of one room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomUse {
    /// Room.
    pub room_id: String,
    /// Room area.
    pub area: Area,
    /// Allocated.
    pub allocated: Area,
    /// Free.
    pub free: Area,
}

/// Summary of a valid plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceSummary {
    /// Institute total.
    pub total: Area,
    /// Sum of all allocations.
    pub allocated: Area,
    /// Total minus allocated.
    pub unallocated: Area,
    /// Per room, in the order given.
    pub rooms: Vec<RoomUse>,
    /// Area by group, by group name.
    pub by_group: BTreeMap<String, Area>,
}

/// Checks a space plan: rooms within the total, allocations within their room and the total.
/// Returns every problem found, not just the first.
pub fn check_space_plan(
    total: Area,
    rooms: &[Room],
    allocations: &[Allocation],
) -> Result<SpaceSummary, Vec<SpaceError>> {
    let mut errs = Vec::new();
    let mut capacity: BTreeMap<&str, Area> = BTreeMap::new();
    for r in rooms {
        if r.area.0 <= 0 {
            errs.push(SpaceError::NonPositiveRoomArea { room_id: r.id.clone() });
        }
        if capacity.insert(r.id.as_str(), r.area).is_some() {
            errs.push(SpaceError::DuplicateRoom { room_id: r.id.clone() });
        }
    }
    let room_sum: i64 = rooms.iter().map(|r| r.area.0).sum();
    if room_sum > total.0 {
        errs.push(SpaceError::RoomsExceedTotal { rooms: Area(room_sum), total });
    }
    let mut per_room: BTreeMap<&str, i64> = BTreeMap::new();
    let mut by_group: BTreeMap<String, Area> = BTreeMap::new();
    for a in allocations {
        if !capacity.contains_key(a.room_id.as_str()) {
            errs.push(SpaceError::UnknownRoom { room_id: a.room_id.clone(), group: a.group.clone() });
            continue;
        }
        if a.area.0 <= 0 {
            errs.push(SpaceError::NonPositiveAllocation { room_id: a.room_id.clone(), group: a.group.clone() });
            continue;
        }
        *per_room.entry(a.room_id.as_str()).or_default() += a.area.0;
        by_group.entry(a.group.trim().to_string()).or_default().0 += a.area.0;
    }
    for r in rooms {
        let allocated = per_room.get(r.id.as_str()).copied().unwrap_or(0);
        if allocated > r.area.0 {
            errs.push(SpaceError::RoomOverAllocated {
                room_id: r.id.clone(),
                allocated: Area(allocated),
                capacity: r.area,
            });
        }
    }
    let allocated: i64 = per_room.values().sum();
    if allocated > total.0 {
        errs.push(SpaceError::TotalOverAllocated { allocated: Area(allocated), total });
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let rooms = rooms
        .iter()
        .map(|r| {
            let used = per_room.get(r.id.as_str()).copied().unwrap_or(0);
            RoomUse { room_id: r.id.clone(), area: r.area, allocated: Area(used), free: Area(r.area.0 - used) }
        })
        .collect();
    Ok(SpaceSummary { total, allocated: Area(allocated), unallocated: Area(total.0 - allocated), rooms, by_group })
}

/// A booking of a piece of equipment over `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    /// Id.
    pub id: i64,
    /// Equipment.
    pub equipment_id: i64,
    /// Who booked.
    pub booked_by: String,
    /// Start (included).
    pub start: DateTime<Utc>,
    /// End (excluded).
    pub end: DateTime<Utc>,
}

/// A booking with its end not after its start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("booking {id}: start {start} must be before end {end}")]
pub struct EmptyInterval {
    /// Booking.
    pub id: i64,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
}

impl Booking {
    /// Checks that start < end.
    pub fn validate(&self) -> Result<(), EmptyInterval> {
        if self.start < self.end {
            Ok(())
        } else {
            Err(EmptyInterval { id: self.id, start: self.start, end: self.end })
        }
    }
}

/// True when two bookings are for the same equipment and their half-open intervals share an instant.
pub fn overlaps(a: &Booking, b: &Booking) -> bool {
    a.equipment_id == b.equipment_id && a.start < b.end && b.start < a.end
}

/// The ids of the existing bookings that clash with `candidate` (itself excluded by id), in id order.
pub fn find_conflicts(existing: &[Booking], candidate: &Booking) -> Vec<i64> {
    let mut ids: Vec<i64> =
        existing.iter().filter(|b| b.id != candidate.id && overlaps(b, candidate)).map(|b| b.id).collect();
    ids.sort_unstable();
    ids
}

/// Every clashing pair among `bookings`, as `(smaller id, larger id)`, sorted (a sweep per equipment).
pub fn find_all_conflicts(bookings: &[Booking]) -> Vec<(i64, i64)> {
    let mut by_equipment: BTreeMap<i64, Vec<&Booking>> = BTreeMap::new();
    for b in bookings {
        by_equipment.entry(b.equipment_id).or_default().push(b);
    }
    let mut pairs = Vec::new();
    for list in by_equipment.values_mut() {
        list.sort_by_key(|b| (b.start, b.end, b.id));
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                if b.start >= a.end {
                    break;
                }
                if a.id != b.id && overlaps(a, b) {
                    pairs.push((a.id.min(b.id), a.id.max(b.id)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn room(id: &str, m2: i64) -> Room {
        Room { id: id.into(), area: Area::from_m2(m2) }
    }

    fn alloc(room_id: &str, group: &str, area: Area) -> Allocation {
        Allocation { room_id: room_id.into(), group: group.into(), area }
    }

    #[test]
    fn area_parse_and_display() {
        assert_eq!(Area::parse_m2("1,332"), Some(JOINT_INSTITUTE_TOTAL));
        assert_eq!(Area::parse_m2("12.5"), Some(Area(1250)));
        assert_eq!(Area::parse_m2(" 0.05 "), Some(Area(5)));
        for bad in ["", "-3", "1.234", "1.", ".5", "abc", "1e3"] {
            assert_eq!(Area::parse_m2(bad), None, "{bad}");
        }
        assert_eq!(JOINT_INSTITUTE_TOTAL.to_string(), "1,332.00 m²");
        assert_eq!(Area(1250).to_string(), "12.50 m²");
        assert_eq!(Area(-5).to_string(), "-0.05 m²");
    }

    #[test]
    fn valid_plan_summary() {
        let rooms = vec![room("301", 120), room("302", 80)];
        let plan = vec![
            alloc("301", "Immuno-oncology lab", Area::from_m2(60)),
            alloc("301", "Organoid core", Area::parse_m2("59.99").unwrap()),
            alloc("302", "Immuno-oncology lab", Area::from_m2(20)),
        ];
        let s = check_space_plan(JOINT_INSTITUTE_TOTAL, &rooms, &plan).unwrap();
        assert_eq!(s.allocated, Area(13_999));
        assert_eq!(s.unallocated, Area(133_200 - 13_999));
        assert_eq!(s.rooms[0].free, Area(1));
        assert_eq!(s.by_group["Immuno-oncology lab"], Area::from_m2(80));
    }

    #[test]
    fn every_problem_is_reported() {
        let rooms = vec![room("301", 100), room("302", 50), room("302", 10), room("303", 0)];
        let plan = vec![
            alloc("301", "A", Area(6_000)),
            alloc("301", "B", Area(4_001)),
            alloc("999", "C", Area(100)),
            alloc("302", "D", Area(0)),
        ];
        let errs = check_space_plan(Area::from_m2(150), &rooms, &plan).unwrap_err();
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert!(text.contains(&"room 302: listed twice".to_string()), "{text:?}");
        assert!(text.contains(&"room 303: area must be positive".to_string()));
        assert!(text.contains(&"rooms: together 160.00 m² exceed the institute's total 150.00 m²".to_string()));
        assert!(text.contains(&"allocation to C: unknown room 999".to_string()));
        assert!(text.contains(&"allocation to D in room 302: area must be positive".to_string()));
        assert!(text.contains(&"room 301: allocations 100.01 m² exceed its area 100.00 m²".to_string()));
    }

    #[test]
    fn total_is_checked_even_when_rooms_fit() {
        let rooms = vec![room("a", 100), room("b", 100)];
        let plan = vec![alloc("a", "x", Area::from_m2(100)), alloc("b", "y", Area::from_m2(100))];
        let errs = check_space_plan(Area::from_m2(150), &rooms, &plan).unwrap_err();
        assert!(errs.contains(&SpaceError::TotalOverAllocated { allocated: Area(20_000), total: Area(15_000) }));
    }

    fn b(id: i64, equipment_id: i64, from_h: u32, to_h: u32) -> Booking {
        let t = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
        Booking { id, equipment_id, booked_by: "lee".into(), start: t(from_h), end: t(to_h) }
    }

    #[test]
    fn half_open_overlap() {
        assert!(overlaps(&b(1, 7, 9, 11), &b(2, 7, 10, 12)));
        assert!(overlaps(&b(1, 7, 9, 12), &b(2, 7, 10, 11)));
        assert!(!overlaps(&b(1, 7, 9, 10), &b(2, 7, 10, 11)), "touching ends do not clash");
        assert!(!overlaps(&b(1, 7, 9, 11), &b(2, 8, 9, 11)), "other equipment");
        assert!(b(1, 7, 10, 10).validate().is_err());
        assert!(b(1, 7, 11, 10).validate().unwrap_err().to_string().starts_with("booking 1: start"));
        assert!(b(1, 7, 9, 10).validate().is_ok());
    }

    #[test]
    fn conflicts() {
        let existing = vec![b(3, 7, 8, 10), b(1, 7, 13, 15), b(2, 7, 10, 12), b(4, 8, 9, 17)];
        assert_eq!(find_conflicts(&existing, &b(9, 7, 9, 14)), vec![1, 2, 3]);
        assert_eq!(find_conflicts(&existing, &b(9, 7, 12, 13)), Vec::<i64>::new());
        // rescheduling booking 2 does not clash with itself
        assert_eq!(find_conflicts(&existing, &b(2, 7, 10, 14)), vec![1]);
        let mut all = existing.clone();
        all.push(b(5, 7, 9, 14));
        assert_eq!(find_all_conflicts(&all), vec![(1, 5), (2, 5), (3, 5)]);
        assert!(find_all_conflicts(&existing).is_empty());
    }
}
