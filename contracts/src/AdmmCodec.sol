// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title AdmmCodec
/// @notice The fixed-point coordinator step of docs/admm-protocol.md for one period chunk, the
///         zig-zag int64 codec, the coupling layout derived from the parent array, and the
///         code-stored layout blob. Internal functions only: inlined into AdmmCoordinator.
library AdmmCodec {
    int256 internal constant S = 1e9;

    error AdmmCoordinatorValueOutOfRange(uint256 index, int256 value);

    /// @dev The coupling layout of one chunk (docs/admm-protocol.md §Coupling layout).
    struct Layout {
        uint256 n;
        uint256 tc;
        uint256[] parent;
        uint256[] childStart;
        uint256[] childList;
        uint256[] childPos;
        /// first value of each bus's local vector in the chunk payload
        uint256[] busOffset;
        uint256 localTotal;
        uint256 entryPeriods;
        uint256 dualTotal;
    }

    struct StepParams {
        int256 alpha;
        int256 rho;
    }

    /// @dev Squared sums (scale S^2): r^2, s^2, ||x||^2 and ||Bz||^2 over the line copies only
    ///      (voltages left out, docs/admm-protocol.md step 5), ||xi||^2.
    struct Sums {
        uint256 r2;
        uint256 s2;
        uint256 lineX2;
        uint256 lineBz2;
        uint256 xi2;
    }

    // ----- layout blob stored as contract code (cheaper to read than storage) -----

    /// @dev Deploys `data` as the code of a data-only contract (a leading STOP byte keeps it
    ///      from being callable). Init code: PUSH2 len, DUP1, PUSH1 10, RETURNDATASIZE, CODECOPY,
    ///      RETURNDATASIZE, RETURN.
    function writeBlob(bytes memory data) internal returns (address pointer) {
        bytes memory runtime = bytes.concat(hex"00", data);
        bytes memory init = bytes.concat(hex"61", bytes2(uint16(runtime.length)), hex"80600a3d393df3", runtime);
        assembly ("memory-safe") {
            pointer := create(0, add(init, 0x20), mload(init))
        }
        require(pointer != address(0));
    }

    function blobData(bytes memory code) internal pure returns (bytes memory out) {
        out = new bytes(code.length - 1);
        for (uint256 i = 0; i < out.length; i++) out[i] = code[i + 1];
    }

    function accountOf(bytes memory blob, uint256 n, uint256 b) internal pure returns (address a) {
        uint256 off = 1 + 2 * n + 20 * b;
        assembly ("memory-safe") {
            a := shr(96, mload(add(add(blob, 0x20), off)))
        }
    }

    /// @dev Children in increasing index order, each bus's local vector length and offset.
    function decodeLayout(bytes memory blob, uint256 n, uint256 tc) internal pure returns (Layout memory lay) {
        lay.n = n;
        lay.tc = tc;
        uint256[] memory parent = new uint256[](n);
        uint256[] memory childStart = new uint256[](n + 1);
        uint256[] memory childList = new uint256[](n);
        uint256[] memory childPos = new uint256[](n);
        uint256[] memory busOffset = new uint256[](n);
        uint256[] memory count = new uint256[](n);
        uint256 off;
        // Assembly: under the coordinator's minimal optimizer steps every checked array access
        // of the Solidity version was a helper call (about 1 k gas per bus). n, tc < 65536.
        assembly ("memory-safe") {
            let par := add(parent, 0x20)
            let cnt := add(count, 0x20)
            let pos := add(childPos, 0x20)
            let cs := add(childStart, 0x20)
            // parent (2 big-endian bytes per bus after the leading STOP byte) and child positions
            for { let k := 1 } lt(k, n) { k := add(k, 1) } {
                let p := shr(240, mload(add(add(blob, 0x21), shl(1, k))))
                mstore(add(par, shl(5, k)), p)
                let cp := add(cnt, shl(5, p))
                mstore(add(pos, shl(5, k)), mload(cp))
                mstore(cp, add(mload(cp), 1))
            }
            // child ranges and local-vector offsets: 1 copy for the root, 4 + 2 per child otherwise
            let bo := add(busOffset, 0x20)
            for { let b := 0 } lt(b, n) { b := add(b, 1) } {
                let c := mload(add(cnt, shl(5, b)))
                mstore(add(cs, shl(5, add(b, 1))), add(mload(add(cs, shl(5, b))), c))
                mstore(add(bo, shl(5, b)), off)
                off := add(off, mul(add(sub(4, mul(3, iszero(b))), shl(1, c)), tc))
            }
            let cl := add(childList, 0x20)
            for { let k := 1 } lt(k, n) { k := add(k, 1) } {
                let p := mload(add(par, shl(5, k)))
                mstore(add(cl, shl(5, add(mload(add(cs, shl(5, p))), mload(add(pos, shl(5, k)))))), k)
            }
        }
        lay.parent = parent;
        lay.childStart = childStart;
        lay.childList = childList;
        lay.childPos = childPos;
        lay.busOffset = busOffset;
        lay.localTotal = off;
        unchecked {
            lay.entryPeriods = (3 * n - 2) * tc;
            lay.dualTotal = (3 * n - 3) * tc;
        }
    }

    // ----- codec -----

    /// @dev keccak256 of a calldata slice through scratch memory (the free pointer is not moved).
    function hashCalldata(bytes calldata data) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, data.offset, data.length)
            h := keccak256(ptr, data.length)
        }
    }

    /// @dev The EIP-712 digest of LocalVector(iteration, bus, chunk, valuesHash) under
    ///      `domainSeparator`, hashed in scratch memory past the free pointer (not moved).
    function localVectorDigest(bytes32 typeHash, bytes32 domainSeparator, uint64 iteration, uint256 bus, uint16 chunk, bytes32 valuesHash)
        internal
        pure
        returns (bytes32 digest)
    {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), iteration)
            mstore(add(m, 0x40), bus)
            mstore(add(m, 0x60), chunk)
            mstore(add(m, 0x80), valuesHash)
            let structHash := keccak256(m, 0xa0)
            mstore(m, shl(240, 0x1901))
            mstore(add(m, 0x02), domainSeparator)
            mstore(add(m, 0x22), structHash)
            digest := keccak256(m, 0x42)
        }
    }

    /// @dev ecrecover of signature `b` (r, s, v: 65 bytes) in `signatures`, with OpenZeppelin
    ///      ECDSA's rules and error codes: s in the lower half order (else 3), a recovered
    ///      address (else 1).
    function recoverAt(bytes32 digest, bytes calldata signatures, uint256 b) internal view returns (address signer, uint8 err) {
        assembly ("memory-safe") {
            let p := add(signatures.offset, mul(65, b))
            let m := mload(0x40)
            mstore(m, digest)
            mstore(add(m, 0x20), byte(0, calldataload(add(p, 0x40))))
            mstore(add(m, 0x40), calldataload(p))
            mstore(add(m, 0x60), calldataload(add(p, 0x20)))
            switch gt(mload(add(m, 0x60)), 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0)
            case 1 { err := 3 }
            default {
                mstore(0x00, 0)
                if iszero(staticcall(gas(), 1, m, 0x80, 0x00, 0x20)) { revert(0, 0) }
                signer := mload(0x00)
                if iszero(signer) { err := 1 }
            }
        }
    }

    /// @dev A chunk's state hash: keccak(keccak(z bytes) || keccak(dual bytes)).
    function chunkHash(bytes calldata z, bytes calldata duals) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hashCalldata(z), hashCalldata(duals)));
    }

    /// @dev A payload buffer of `values` zig-zag words. The step loops write each word with a
    ///      32-byte mstore: the 24 bytes past the last word land in the 32 bytes of slack.
    function newBuffer(uint256 values) internal pure returns (bytes memory buf) {
        buf = new bytes(8 * values + 32);
        assembly ("memory-safe") {
            mstore(buf, shl(3, values))
        }
    }

    /// @dev The chunk's slice of the initial z (global order e*T + t) with all duals zero.
    function initialChunkHash(bytes memory z0, uint256 n, uint256 t, uint256 t0, uint256 tc, uint256 dualsPerPeriod)
        internal
        pure
        returns (bytes32)
    {
        uint256 entries = 3 * n - 2;
        bytes memory z = new bytes(8 * entries * tc);
        for (uint256 e = 0; e < entries; e++) {
            uint256 dst = 8 * e * tc;
            uint256 src = 8 * (e * t + t0);
            assembly ("memory-safe") {
                mcopy(add(add(z, 0x20), dst), add(add(z0, 0x20), src), shl(3, tc))
            }
        }
        return keccak256(abi.encodePacked(keccak256(z), keccak256(new bytes(8 * dualsPerPeriod * tc))));
    }

    // ----- the coordinator step, steps 1-4 (docs/admm-protocol.md §Fixed point) -----

    /// @dev Context words shared with the Yul loops (one memory pointer instead of 15 stack slots).
    uint256 private constant C_ALPHA = 0x00;
    uint256 private constant C_RHO = 0x20;
    uint256 private constant C_X = 0x40; // calldata offset of x
    uint256 private constant C_ZIN = 0x60; // calldata offset of zPrev
    uint256 private constant C_DIN = 0x80; // calldata offset of dualsPrev
    uint256 private constant C_ZOUT = 0xa0; // memory data pointer of zNext
    uint256 private constant C_DOUT = 0xc0; // memory data pointer of dualsNext
    uint256 private constant C_ZI = 0xe0; // next z index
    uint256 private constant C_DI = 0x100; // next dual index
    uint256 private constant C_R2 = 0x120;
    uint256 private constant C_S2 = 0x140;
    uint256 private constant C_LINE_X2 = 0x160;
    uint256 private constant C_LINE_BZ2 = 0x180;
    uint256 private constant C_XI2 = 0x1a0;
    uint256 private constant C_TC = 0x1c0;
    uint256 private constant C_T0 = 0x1e0; // loop-invariant pointer differences / ends
    uint256 private constant C_T1 = 0x200;
    uint256 private constant C_T2 = 0x220;
    uint256 private constant C_T3 = 0x240;
    uint256 private constant C_BASES = 0x260; // data pointer of the copy table (_entry)
    uint256 private constant C_NE = 0x280; // copies of the entry (_entry)
    uint256 private constant C_BA = 0x2a0; // first value of copy a / b (_flowEntry)
    uint256 private constant C_BB = 0x2c0;
    uint256 private constant C_T4 = 0x2e0;
    uint256 private constant C_IS_LINE = 0x300; // 1: the two-copy entry is a line flow (_flowEntry)

    /// @notice Over-relaxation, averaging (eq. 16), dual update (eq. 17) and the squared sums of
    ///         eq. 18-19 for one chunk; returns the sums, the new z bytes and the new chunk hash.
    function step(Layout memory lay, StepParams memory sp, bytes calldata x, bytes calldata zPrev, bytes calldata dualsPrev)
        internal
        pure
        returns (Sums memory sums, bytes memory zNext, bytes32 newHash)
    {
        zNext = newBuffer(lay.entryPeriods);
        bytes memory dualsNext = newBuffer(lay.dualTotal);
        uint256[25] memory ctx;
        ctx[0] = uint256(sp.alpha);
        ctx[1] = uint256(sp.rho);
        ctx[14] = lay.tc;
        assembly ("memory-safe") {
            mstore(add(ctx, C_X), x.offset)
            mstore(add(ctx, C_ZIN), zPrev.offset)
            mstore(add(ctx, C_DIN), dualsPrev.offset)
            mstore(add(ctx, C_ZOUT), add(zNext, 0x20))
            mstore(add(ctx, C_DOUT), add(dualsNext, 0x20))
        }
        uint256 tc = lay.tc;
        uint256[] memory bases = new uint256[](lay.n + 1);
        // unchecked: every index and offset is bounded by the layout (n, T < 65536)
        unchecked { for (uint256 i = 0; i < lay.n; i++) {
            // This bus's local-vector offset, its flow copies at the parent, and the copy table of
            // its voltage: own copy, then each child's parent-voltage copy (buses ascending).
            uint256 own;
            uint256 atParent;
            uint256 ne;
            assembly ("memory-safe") {
                let busOffset := add(mload(add(lay, 0xc0)), 0x20)
                let childStart := add(mload(add(lay, 0x60)), 0x20)
                own := mload(add(busOffset, shl(5, i)))
                if i {
                    let p := mload(add(add(mload(add(lay, 0x40)), 0x20), shl(5, i)))
                    let posAtParent := mload(add(add(mload(add(lay, 0xa0)), 0x20), shl(5, i)))
                    atParent := add(mload(add(busOffset, shl(5, p))), mul(add(sub(4, mul(3, iszero(p))), shl(1, posAtParent)), tc))
                }
                let table := add(bases, 0x20)
                mstore(table, add(own, mul(shl(1, iszero(iszero(i))), tc)))
                ne := 1
                let childList := add(mload(add(lay, 0x80)), 0x20)
                let cEnd := mload(add(childStart, shl(5, add(i, 1))))
                for { let c := mload(add(childStart, shl(5, i))) } lt(c, cEnd) { c := add(c, 1) } {
                    mstore(add(table, shl(5, ne)), add(mload(add(busOffset, shl(5, mload(add(childList, shl(5, c)))))), mul(3, tc)))
                    ne := add(ne, 1)
                }
            }
            if (i > 0) {
                // Flow copies in increasing bus order: at the parent (child block), then own.
                ctx[21] = atParent;
                ctx[22] = own;
                ctx[24] = 1;
                _flowEntry(ctx);
                ctx[21] = atParent + tc;
                ctx[22] = own + tc;
                _flowEntry(ctx);
            }
            if (ne == 1) {
                // a leaf's voltage: one copy, no stored dual
                ctx[21] = bases[0];
                _leafEntry(ctx);
            } else if (ne == 2) {
                // one child: two copies in bus order, exactly a flow entry, but a voltage
                ctx[21] = bases[0];
                ctx[22] = bases[1];
                ctx[24] = 0;
                _flowEntry(ctx);
            } else {
                assembly ("memory-safe") {
                    mstore(add(ctx, C_BASES), add(bases, 0x20))
                }
                ctx[20] = ne;
                _entry(ctx);
            }
        } }
        sums = Sums(ctx[9], ctx[10], ctx[11], ctx[12], ctx[13]);
        newHash = keccak256(abi.encodePacked(keccak256(zNext), keccak256(dualsNext)));
    }

    /// @dev A two-copy entry (a line flow: at the parent, then own) over the chunk's periods:
    ///      one stored dual xi_a, the own copy's dual is -xi_a. Hand-scheduled Yul: at most ~13
    ///      live stack values (temporaries scoped in blocks, loop invariants in ctx), so the
    ///      compiler neither spills nor recomputes (docs/chain-design.md §Measured). sdiv
    ///      truncates like bigint `/`. Zig-zag int64: w = 8 big-endian bytes, v = (w >> 1) ^ -(w & 1).
    ///      Adds to ||x||^2 and ||Bz||^2 only when C_IS_LINE is set (not for a one-child voltage).
    function _flowEntry(uint256[25] memory ctx) private pure {
        assembly ("memory-safe") {
            let pa := 0
            let zIn := 0
            {
                let zi := mload(add(ctx, C_ZI))
                let di := mload(add(ctx, C_DI))
                zIn := add(mload(add(ctx, C_ZIN)), shl(3, zi))
                pa := add(mload(add(ctx, C_X)), shl(3, mload(add(ctx, C_BA))))
                mstore(add(ctx, C_T0), sub(add(mload(add(ctx, C_X)), shl(3, mload(add(ctx, C_BB)))), pa)) // pb - pa
                mstore(add(ctx, C_T1), sub(add(mload(add(ctx, C_DIN)), shl(3, di)), zIn)) // dIn - zIn
                mstore(add(ctx, C_T2), sub(add(mload(add(ctx, C_ZOUT)), shl(3, zi)), zIn)) // zOut - zIn
                mstore(add(ctx, C_T3), sub(add(mload(add(ctx, C_DOUT)), shl(3, di)), zIn)) // dOut - zIn
                mstore(add(ctx, C_ZI), add(zi, mload(add(ctx, C_TC))))
                mstore(add(ctx, C_DI), add(di, mload(add(ctx, C_TC))))
            }
            mstore(add(ctx, C_T4), add(pa, shl(3, mload(add(ctx, C_TC))))) // end of copy a
            let r2 := 0
            let s2 := 0
            let x2 := 0
            let zz := 0
            let xx := 0
            for {} lt(pa, mload(add(ctx, C_T4))) {} {
                let zOld := 0
                let xa := 0
                let xb := 0
                {
                    let w := shr(192, calldataload(zIn))
                    zOld := xor(shr(1, w), sub(0, and(w, 1)))
                    w := shr(192, calldataload(pa))
                    xa := xor(shr(1, w), sub(0, and(w, 1)))
                    w := shr(192, calldataload(add(pa, mload(add(ctx, C_T0)))))
                    xb := xor(shr(1, w), sub(0, and(w, 1)))
                }
                let ha := 0
                let zNew := 0
                {
                    // steps 1-2: over-relaxation and averaging (eq. 16)
                    let alpha := mload(ctx)
                    let bz := mul(sub(1000000000, alpha), zOld)
                    ha := sdiv(add(mul(alpha, xa), bz), 1000000000)
                    zNew := sdiv(add(ha, sdiv(add(mul(alpha, xb), bz), 1000000000)), 2)
                }
                // step 3: dual update (eq. 17)
                let xi := 0
                {
                    let w := shr(192, calldataload(add(zIn, mload(add(ctx, C_T1)))))
                    xi := add(xor(shr(1, w), sub(0, and(w, 1))), sdiv(mul(mload(add(ctx, C_RHO)), sub(ha, zNew)), 1000000000))
                }
                if iszero(and(eq(signextend(7, zNew), zNew), eq(signextend(7, xi), xi))) {
                    mstore(0, shl(224, 0xe2f85f8b)) // AdmmCoordinatorValueOutOfRange(uint256,int256)
                    mstore(4, shr(3, sub(zIn, mload(add(ctx, C_ZIN)))))
                    mstore(0x24, zNew)
                    revert(0, 0x44)
                }
                mstore(add(zIn, mload(add(ctx, C_T2))), shl(192, xor(shl(1, zNew), sar(255, zNew))))
                mstore(add(zIn, mload(add(ctx, C_T3))), shl(192, xor(shl(1, xi), sar(255, xi))))
                // step 4: sums; both copies' duals (xi, -xi) and z weights (n = 2) are doubled at the end
                xx := add(xx, mul(xi, xi))
                zz := add(zz, mul(zNew, zNew))
                x2 := add(x2, add(mul(xa, xa), mul(xb, xb)))
                xi := sdiv(mul(mload(add(ctx, C_RHO)), sub(zNew, zOld)), 1000000000) // d of eq. 19
                s2 := add(s2, mul(xi, xi))
                xa := sub(xa, zNew)
                xb := sub(xb, zNew)
                r2 := add(r2, add(mul(xa, xa), mul(xb, xb)))
                pa := add(pa, 8)
                zIn := add(zIn, 8)
            }
            mstore(add(ctx, C_R2), add(mload(add(ctx, C_R2)), r2))
            mstore(add(ctx, C_S2), add(mload(add(ctx, C_S2)), shl(1, s2)))
            if mload(add(ctx, C_IS_LINE)) {
                mstore(add(ctx, C_LINE_X2), add(mload(add(ctx, C_LINE_X2)), x2))
                mstore(add(ctx, C_LINE_BZ2), add(mload(add(ctx, C_LINE_BZ2)), shl(1, zz)))
            }
            mstore(add(ctx, C_XI2), add(mload(add(ctx, C_XI2)), shl(1, xx)))
        }
    }

    /// @dev A one-copy entry (a leaf's voltageSq): z^{k+1} = xhat, the only dual is the last
    ///      copy's, minus the empty sum = 0, so nothing is stored. A voltage: no ||x||, ||Bz|| terms.
    function _leafEntry(uint256[25] memory ctx) private pure {
        assembly ("memory-safe") {
            let px := add(mload(add(ctx, C_X)), shl(3, mload(add(ctx, C_BA))))
            let zIn := add(mload(add(ctx, C_ZIN)), shl(3, mload(add(ctx, C_ZI))))
            mstore(add(ctx, C_T2), sub(add(mload(add(ctx, C_ZOUT)), shl(3, mload(add(ctx, C_ZI)))), zIn)) // zOut - zIn
            mstore(add(ctx, C_ZI), add(mload(add(ctx, C_ZI)), mload(add(ctx, C_TC))))
            let end := add(px, shl(3, mload(add(ctx, C_TC))))
            let r2 := 0
            let s2 := 0
            for {} lt(px, end) {} {
                let zOld := 0
                let xq := 0
                {
                    let w := shr(192, calldataload(zIn))
                    zOld := xor(shr(1, w), sub(0, and(w, 1)))
                    w := shr(192, calldataload(px))
                    xq := xor(shr(1, w), sub(0, and(w, 1)))
                }
                // steps 1-2 with n = 1: z^{k+1} = xhat (eq. 16)
                let zNew := sdiv(add(mul(mload(ctx), xq), mul(sub(1000000000, mload(ctx)), zOld)), 1000000000)
                if iszero(eq(signextend(7, zNew), zNew)) {
                    mstore(0, shl(224, 0xe2f85f8b))
                    mstore(4, shr(3, sub(zIn, mload(add(ctx, C_ZIN)))))
                    mstore(0x24, zNew)
                    revert(0, 0x44)
                }
                mstore(add(zIn, mload(add(ctx, C_T2))), shl(192, xor(shl(1, zNew), sar(255, zNew))))
                xq := sub(xq, zNew)
                r2 := add(r2, mul(xq, xq))
                zOld := sdiv(mul(mload(add(ctx, C_RHO)), sub(zNew, zOld)), 1000000000) // d of eq. 19
                s2 := add(s2, mul(zOld, zOld))
                px := add(px, 8)
                zIn := add(zIn, 8)
            }
            mstore(add(ctx, C_R2), add(mload(add(ctx, C_R2)), r2))
            mstore(add(ctx, C_S2), add(mload(add(ctx, C_S2)), s2))
        }
    }

    /// @dev Any entry (copies at the copy table C_BASES, C_NE of them, buses ascending; used for
    ///      voltageSq) over the chunk's periods; stores every dual but the last, which is minus
    ///      their sum. Scratch words 0x00 and 0x20 hold (S - alpha)·z^k and z^k of the period.
    ///      Only voltages come here: no ||x||, ||Bz|| terms.
    function _entry(uint256[25] memory ctx) private pure {
        assembly ("memory-safe") {
            let ptrsEnd := add(mload(add(ctx, C_BASES)), shl(5, mload(add(ctx, C_NE))))
            // the copy table becomes calldata pointers into x, advanced one period at a time
            for { let p := mload(add(ctx, C_BASES)) } lt(p, ptrsEnd) { p := add(p, 0x20) } {
                mstore(p, add(mload(add(ctx, C_X)), shl(3, mload(p))))
            }
            let zIn := add(mload(add(ctx, C_ZIN)), shl(3, mload(add(ctx, C_ZI))))
            let dIn := add(mload(add(ctx, C_DIN)), shl(3, mload(add(ctx, C_DI))))
            let dOut := add(mload(add(ctx, C_DOUT)), shl(3, mload(add(ctx, C_DI))))
            mstore(add(ctx, C_T2), sub(add(mload(add(ctx, C_ZOUT)), shl(3, mload(add(ctx, C_ZI)))), zIn)) // zOut - zIn
            mstore(add(ctx, C_T0), add(zIn, shl(3, mload(add(ctx, C_TC))))) // end of z
            let r2 := 0
            for {} lt(zIn, mload(add(ctx, C_T0))) {} {
                // steps 1-2: over-relaxation and averaging (eq. 16)
                let zNew := 0
                {
                    let w := shr(192, calldataload(zIn))
                    let zOld := xor(shr(1, w), sub(0, and(w, 1)))
                    mstore(0x20, zOld)
                    let alpha := mload(ctx)
                    let bz := mul(sub(1000000000, alpha), zOld)
                    mstore(0x00, bz)
                    let sum := 0
                    for { let p := mload(add(ctx, C_BASES)) } lt(p, ptrsEnd) { p := add(p, 0x20) } {
                        w := shr(192, calldataload(mload(p)))
                        sum := add(sum, sdiv(add(mul(alpha, xor(shr(1, w), sub(0, and(w, 1)))), bz), 1000000000))
                    }
                    zNew := sdiv(sum, mload(add(ctx, C_NE)))
                }
                if iszero(eq(signextend(7, zNew), zNew)) {
                    mstore(0, shl(224, 0xe2f85f8b))
                    mstore(4, shr(3, sub(zIn, mload(add(ctx, C_ZIN)))))
                    mstore(0x24, zNew)
                    revert(0, 0x44)
                }
                mstore(add(zIn, mload(add(ctx, C_T2))), shl(192, xor(shl(1, zNew), sar(255, zNew))))
                // steps 3-4: dual update (eq. 17) and primal residual (eq. 18)
                let sum := 0
                for { let p := mload(add(ctx, C_BASES)) } lt(p, ptrsEnd) { p := add(p, 0x20) } {
                    let xq := 0
                    {
                        let px := mload(p)
                        let w := shr(192, calldataload(px))
                        mstore(p, add(px, 8))
                        xq := xor(shr(1, w), sub(0, and(w, 1)))
                    }
                    if lt(p, sub(ptrsEnd, 0x20)) {
                        let xi := 0
                        {
                            let w := shr(192, calldataload(dIn))
                            let xh := sdiv(add(mul(mload(ctx), xq), mload(0x00)), 1000000000)
                            xi := add(xor(shr(1, w), sub(0, and(w, 1))), sdiv(mul(mload(add(ctx, C_RHO)), sub(xh, zNew)), 1000000000))
                        }
                        if iszero(eq(signextend(7, xi), xi)) {
                            mstore(0, shl(224, 0xe2f85f8b))
                            mstore(4, shr(3, sub(dOut, mload(add(ctx, C_DOUT)))))
                            mstore(0x24, xi)
                            revert(0, 0x44)
                        }
                        mstore(dOut, shl(192, xor(shl(1, xi), sar(255, xi))))
                        dIn := add(dIn, 8)
                        dOut := add(dOut, 8)
                        sum := add(sum, xi)
                        mstore(add(ctx, C_XI2), add(mload(add(ctx, C_XI2)), mul(xi, xi)))
                    }
                    xq := sub(xq, zNew)
                    r2 := add(r2, mul(xq, xq))
                }
                // the last copy's dual is minus the others' (an entry's duals sum to zero); it is
                // never transported, so it is not narrowed to int64 (docs/admm-protocol.md)
                mstore(add(ctx, C_XI2), add(mload(add(ctx, C_XI2)), mul(sum, sum)))
                // dual residual term (eq. 19), weighted by n_g
                sum := sdiv(mul(mload(add(ctx, C_RHO)), sub(zNew, mload(0x20))), 1000000000)
                mstore(add(ctx, C_S2), add(mload(add(ctx, C_S2)), mul(mload(add(ctx, C_NE)), mul(sum, sum))))
                zIn := add(zIn, 8)
            }
            mstore(add(ctx, C_ZI), add(mload(add(ctx, C_ZI)), mload(add(ctx, C_TC))))
            mstore(add(ctx, C_DI), add(mload(add(ctx, C_DI)), mul(mload(add(ctx, C_TC)), sub(mload(add(ctx, C_NE)), 1))))
            mstore(add(ctx, C_R2), add(mload(add(ctx, C_R2)), r2))
        }
    }
}
