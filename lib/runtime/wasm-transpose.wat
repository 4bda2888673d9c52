;; The transpose of a matrix of 4-byte values (float32 or int32) in 4 x 4 blocks of
;; WebAssembly SIMD, on the heap of TensorFlow.js's wasm backend, whose memory this module
;; imports. `lib/runtime/wasm-transpose.ts` says why; `scripts/build-wasm.ts` compiles this
;; file into `lib/runtime/wasm-transpose-module.ts`.
;;
;; transpose(in, out, rows, cols): out[c][r] = in[r][c] for in of rows x cols, both row-major,
;; at byte offsets `in` and `out` (which must not overlap). Values are moved as bits.
(module
  (import "env" "memory" (memory 1))
  (func (export "transpose") (param $in i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $i i32) (local $j i32) (local $rows4 i32) (local $cols4 i32)
    (local $rowBytes i32) (local $colBytes i32) (local $src i32) (local $dst i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2)))
    ;; Rows [i, i+4) and columns [j, j+4): four rows r0..r3 in, four columns out.
    (block $rowsDone (loop $rowsNext
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows4)))
      (local.set $j (i32.const 0))
      (block $colsDone (loop $colsNext
        (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols4)))
        (local.set $src (i32.add (local.get $in) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2))))
        (local.set $r0 (v128.load (local.get $src)))
        (local.set $r1 (v128.load (i32.add (local.get $src) (local.get $rowBytes))))
        (local.set $r2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $rowBytes) (i32.const 1)))))
        (local.set $r3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $rowBytes) (i32.const 3)))))
        ;; t0 = r0[0] r1[0] r0[1] r1[1], t1 = r0[2] r1[2] r0[3] r1[3]; t2, t3 likewise of r2, r3
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        ;; column k of the block = r0[k] r1[k] r2[k] r3[k], stored as row j + k of out
        (local.set $dst (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2))))
        (v128.store (local.get $dst)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $dst) (local.get $colBytes))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $colBytes) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (v128.store (i32.add (local.get $dst) (i32.mul (local.get $colBytes) (i32.const 3)))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $colsNext)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rowsNext)))
    ;; What the blocks left: the last cols mod 4 columns of the first rows4 rows, then the last
    ;; rows mod 4 rows, one value at a time.
    (call $values (local.get $in) (local.get $out) (local.get $rows) (local.get $cols) (i32.const 0) (local.get $rows4) (local.get $cols4))
    (call $values (local.get $in) (local.get $out) (local.get $rows) (local.get $cols) (local.get $rows4) (local.get $rows) (i32.const 0)))

  ;; out[c][r] = in[r][c] for rows [i0, i1) and columns [j0, cols).
  (func $values (param $in i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $i0 i32) (param $i1 i32) (param $j0 i32)
    (local $i i32) (local $j i32)
    (local.set $i (local.get $i0))
    (block $rowsDone (loop $rowsNext
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $j (local.get $j0))
      (block $colsDone (loop $colsNext
        (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols)))
        (i32.store
          (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2)))
          (i32.load (i32.add (local.get $in) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $colsNext)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rowsNext))))
)
