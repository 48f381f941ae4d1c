//! Rendering: a report as text or as an SVG map.

pub mod svg;
pub mod text;
