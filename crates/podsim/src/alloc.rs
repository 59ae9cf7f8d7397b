//! The native binaries' global allocator (the `podsim` CLI and the benchmark): mimalloc, called
//! the way the C library is meant to be called. The library itself never chooses an allocator;
//! the page keeps Rust's wasm allocator.
//!
//! Why not the `mimalloc` crate's own `GlobalAlloc`: it asks for every block with
//! `mi_malloc_aligned(size, align)`, even at the 8-byte alignment every mimalloc block already
//! has. mimalloc serves that from its fast path only up to 1 KiB; above, a block whose size is not
//! a power of two is over-allocated and shifted into place (and its page then frees more slowly),
//! whatever the alignment asked. A run's larger blocks (B-tree nodes of the object stores, a
//! container's log, a step's commands) all took that path. Here an alignment mimalloc guarantees
//! anyway takes the plain `mi_malloc`, like Rust's system allocator does with `malloc`.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as ffi;

/// mimalloc as a Rust global allocator: `#[global_allocator] static A: MiMalloc = MiMalloc;`.
pub struct MiMalloc;

/// Whether a plain `mi_malloc` block of `size` bytes has alignment `align`: every block is
/// 8-aligned (sizes are whole words), and a block of a multiple of 16 bytes is 16-aligned
/// (mimalloc's `MI_MAX_ALIGN_SIZE`, the alignment of C's `max_align_t`, which `malloc` must give).
fn plain(align: usize, size: usize) -> bool {
    align <= 8 || (align <= 16 && size % 16 == 0)
}

// SAFETY: each method forwards to the mimalloc function with the same contract (a null pointer on
// failure; `mi_free` and `mi_realloc*` accept any pointer mimalloc returned, aligned or not), and
// `plain` asks for a plain block only where mimalloc's blocks have the alignment by construction.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = if plain(layout.align(), layout.size()) { unsafe { ffi::mi_malloc(layout.size()) } } else { unsafe { ffi::mi_malloc_aligned(layout.size(), layout.align()) } };
        p.cast()
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = if plain(layout.align(), layout.size()) { unsafe { ffi::mi_zalloc(layout.size()) } } else { unsafe { ffi::mi_zalloc_aligned(layout.size(), layout.align()) } };
        p.cast()
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { ffi::mi_free(ptr.cast::<c_void>()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The block keeps its alignment and takes `new_size`.
        let p = if plain(layout.align(), new_size) { unsafe { ffi::mi_realloc(ptr.cast(), new_size) } } else { unsafe { ffi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()) } };
        p.cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards `plain`: every block, plain or aligned, small or large, fresh, zeroed or grown,
    /// has the alignment its layout asks, and keeps its bytes when it grows.
    #[test]
    fn every_block_has_its_alignment() {
        let a = MiMalloc;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 7, 8, 16, 24, 40, 48, 100, 1000, 1024, 1040, 1280, 4000, 70_000] {
                let Ok(layout) = Layout::from_size_align(size, align) else { continue };
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null() && p as usize % align == 0, "alloc {size} at {align}");
                    p.write_bytes(0xAB, size);
                    let z = a.alloc_zeroed(layout);
                    assert!(!z.is_null() && z as usize % align == 0, "zalloc {size} at {align}");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    a.dealloc(z, layout);
                    let grown = size * 3 + 5;
                    let q = a.realloc(p, layout, grown);
                    assert!(!q.is_null() && q as usize % align == 0, "realloc {size}->{grown} at {align}");
                    assert!(std::slice::from_raw_parts(q, size).iter().all(|&b| b == 0xAB));
                    a.dealloc(q, Layout::from_size_align(grown, align).expect("layout"));
                }
            }
        }
    }
}
