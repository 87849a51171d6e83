//! Page geometry shared by the assembler (placing pages and photos) and OCR (mapping words read on
//! a page image onto the binder page): both must agree to the last corner, so there is one copy.

pub type Matrix = [f32; 6];

/// `a` then `b`, as PDF's `cm` composes (row vectors).
pub fn mul(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// Where `m` takes the point (x, y).
pub fn apply(m: Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// Where the stored image's corners go for each EXIF orientation: (top-left, top-right,
/// bottom-left) as visual corners, 0 = TL, 1 = TR, 2 = BL, 3 = BR.
pub fn corners(orientation: u8) -> [usize; 3] {
    match orientation {
        2 => [1, 0, 3],
        3 => [3, 2, 1],
        4 => [2, 3, 0],
        5 => [0, 2, 1],
        6 => [1, 3, 0],
        7 => [3, 1, 2],
        8 => [2, 0, 3],
        _ => [0, 1, 2],
    }
}
