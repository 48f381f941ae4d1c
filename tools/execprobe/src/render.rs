//! Rendering: a report as text or as an SVG map, and a film.

pub mod film;
pub mod svg;
pub mod text;
