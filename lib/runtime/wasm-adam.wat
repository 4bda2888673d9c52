;; Adam's update of one weight tensor in one pass, four floats at a time (WebAssembly SIMD),
;; on the heap of TensorFlow.js's wasm backend, whose memory this module imports.
;; `lib/runtime/wasm-adam.ts` says what it computes and why; `scripts/build-wasm.ts`
;; compiles this file into `lib/runtime/wasm-adam-module.ts`.
;;
;; All pointers are byte offsets into that memory; every array holds n float32 values:
;;   mOut     = m * beta1 + g
;;   vOut     = v * beta2 + g * g
;;   thetaOut = theta - (mOut / (sqrt(vOut) + eps)) * stepSize
;; each operation rounded to float32 in this order, as the element-wise tensor operations
;; of `lib/fast/adam.ts` round it, so both give the same bits.
(module
  (import "env" "memory" (memory 1))
  (func (export "adam")
    (param $theta i32) (param $m i32) (param $v i32) (param $g i32)
    (param $thetaOut i32) (param $mOut i32) (param $vOut i32) (param $n i32)
    (param $beta1 f32) (param $beta2 f32) (param $stepSize f32) (param $eps f32)
    (local $at i32) (local $end i32)
    (local $g4 v128) (local $m4 v128) (local $v4 v128)
    (local $g1 f32) (local $m1 f32) (local $v1 f32)

    ;; Four floats (16 bytes) at a time, while four are left.
    (local.set $end (i32.shl (i32.shr_u (local.get $n) (i32.const 2)) (i32.const 4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $g4 (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $m4
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $beta1)))
            (local.get $g4)))
        (local.set $v4
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $beta2)))
            (f32x4.mul (local.get $g4) (local.get $g4))))
        (v128.store (i32.add (local.get $mOut) (local.get $at)) (local.get $m4))
        (v128.store (i32.add (local.get $vOut) (local.get $at)) (local.get $v4))
        (v128.store (i32.add (local.get $thetaOut) (local.get $at))
          (f32x4.sub
            (v128.load (i32.add (local.get $theta) (local.get $at)))
            (f32x4.mul
              (f32x4.div (local.get $m4) (f32x4.add (f32x4.sqrt (local.get $v4)) (f32x4.splat (local.get $eps))))
              (f32x4.splat (local.get $stepSize)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next)))

    ;; The last n mod 4 floats, one at a time, with the same operations.
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $g1 (f32.load (i32.add (local.get $g) (local.get $at))))
        (local.set $m1
          (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $beta1)) (local.get $g1)))
        (local.set $v1
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $beta2))
            (f32.mul (local.get $g1) (local.get $g1))))
        (f32.store (i32.add (local.get $mOut) (local.get $at)) (local.get $m1))
        (f32.store (i32.add (local.get $vOut) (local.get $at)) (local.get $v1))
        (f32.store (i32.add (local.get $thetaOut) (local.get $at))
          (f32.sub
            (f32.load (i32.add (local.get $theta) (local.get $at)))
            (f32.mul
              (f32.div (local.get $m1) (f32.add (f32.sqrt (local.get $v1)) (local.get $eps)))
              (local.get $stepSize))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next)))))
