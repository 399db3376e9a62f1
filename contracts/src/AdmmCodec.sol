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

    /// @dev Squared sums (scale S^2): r^2, s^2, ||x||^2, ||Bz||^2, ||xi||^2.
    struct Sums {
        uint256 r2;
        uint256 s2;
        uint256 x2;
        uint256 bz2;
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
        lay.parent = new uint256[](n);
        lay.childStart = new uint256[](n + 1);
        lay.childList = new uint256[](n);
        lay.childPos = new uint256[](n);
        lay.busOffset = new uint256[](n);
        uint256[] memory count = new uint256[](n);
        for (uint256 k = 1; k < n; k++) {
            uint256 p = (uint256(uint8(blob[1 + 2 * k])) << 8) | uint8(blob[2 + 2 * k]);
            lay.parent[k] = p;
            lay.childPos[k] = count[p];
            count[p] += 1;
        }
        uint256 off;
        for (uint256 b = 0; b < n; b++) {
            lay.childStart[b + 1] = lay.childStart[b] + count[b];
            lay.busOffset[b] = off;
            off += ((b == 0 ? 1 : 4) + 2 * count[b]) * tc;
        }
        for (uint256 k = 1; k < n; k++) {
            uint256 p = lay.parent[k];
            lay.childList[lay.childStart[p] + lay.childPos[k]] = k;
        }
        lay.localTotal = off;
        lay.entryPeriods = (3 * n - 2) * tc;
        lay.dualTotal = (3 * n - 3) * tc;
    }

    // ----- codec -----

    /// @dev Value i of a zig-zag int64 payload: w = 8 big-endian bytes, v = (w >> 1) ^ -(w & 1).
    function load(bytes calldata data, uint256 i) internal pure returns (int256 v) {
        assembly {
            let w := shr(192, calldataload(add(data.offset, shl(3, i))))
            v := xor(shr(1, w), sub(0, and(w, 1)))
        }
    }

    /// @dev Writes value i (already range-checked) zig-zag encoded; the 24 bytes written past
    ///      it are overwritten by the next value or lie in the buffer's slack.
    function store(bytes memory buf, uint256 i, int256 v) internal pure {
        assembly ("memory-safe") {
            let w := xor(shl(1, v), sar(255, v))
            mstore(add(add(buf, 0x20), shl(3, i)), shl(192, w))
        }
    }

    function checked(uint256 index, int256 v) internal pure returns (int256) {
        if (v < type(int64).min || v > type(int64).max) revert AdmmCoordinatorValueOutOfRange(index, v);
        return v;
    }

    /// @dev keccak256 of a calldata slice through scratch memory (the free pointer is not moved).
    function hashCalldata(bytes calldata data) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, data.offset, data.length)
            h := keccak256(ptr, data.length)
        }
    }

    /// @dev A chunk's state hash: keccak(keccak(z bytes) || keccak(dual bytes)).
    function chunkHash(bytes calldata z, bytes calldata duals) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hashCalldata(z), hashCalldata(duals)));
    }

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
    uint256 private constant C_X2 = 0x160;
    uint256 private constant C_BZ2 = 0x180;
    uint256 private constant C_XI2 = 0x1a0;
    uint256 private constant C_TC = 0x1c0;

    /// @notice Over-relaxation, averaging (eq. 16), dual update (eq. 17) and the squared sums of
    ///         eq. 18-19 for one chunk; returns the sums, the new z bytes and the new chunk hash.
    function step(Layout memory lay, StepParams memory sp, bytes calldata x, bytes calldata zPrev, bytes calldata dualsPrev)
        internal
        pure
        returns (Sums memory sums, bytes memory zNext, bytes32 newHash)
    {
        zNext = newBuffer(lay.entryPeriods);
        bytes memory dualsNext = newBuffer(lay.dualTotal);
        uint256[15] memory ctx;
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
        for (uint256 i = 0; i < lay.n; i++) {
            uint256 own = lay.busOffset[i];
            if (i > 0) {
                // Flow copies in increasing bus order: at the parent (child block), then own.
                uint256 p = lay.parent[i];
                uint256 atParent = lay.busOffset[p] + ((p == 0 ? 1 : 4) + 2 * lay.childPos[i]) * tc;
                _flowEntry(ctx, atParent, own);
                _flowEntry(ctx, atParent + tc, own + tc);
            }
            // voltageSq_i: own copy, then each child's parent-voltage copy.
            bases[0] = own + (i == 0 ? 0 : 2) * tc;
            uint256 ne = 1;
            for (uint256 c = lay.childStart[i]; c < lay.childStart[i + 1]; c++) {
                bases[ne++] = lay.busOffset[lay.childList[c]] + 3 * tc;
            }
            _entry(ctx, bases, ne);
        }
        sums = Sums(ctx[9], ctx[10], ctx[11], ctx[12], ctx[13]);
        newHash = keccak256(abi.encodePacked(keccak256(zNext), keccak256(dualsNext)));
    }

    /// @dev A two-copy entry (a line flow: at the parent, then own) over the chunk's periods:
    ///      one stored dual xi_a, the own copy's dual is -xi_a. Yul because the Solidity loop
    ///      spilled its locals to memory (about 4x the gas); sdiv truncates like bigint `/`.
    ///      Values are zig-zag int64: w = 8 big-endian bytes, v = (w >> 1) ^ -(w & 1).
    function _flowEntry(uint256[15] memory ctx, uint256 baseA, uint256 baseB) private pure {
        assembly ("memory-safe") {
            let xa_ := add(mload(add(ctx, C_X)), shl(3, baseA))
            let xb_ := add(mload(add(ctx, C_X)), shl(3, baseB))
            let zi := mload(add(ctx, C_ZI))
            let di := mload(add(ctx, C_DI))
            let n := mload(add(ctx, C_TC))
            for {} n { n := sub(n, 1) } {
                let w := shr(192, calldataload(add(mload(add(ctx, C_ZIN)), shl(3, zi))))
                let zOld := xor(shr(1, w), sub(0, and(w, 1)))
                w := shr(192, calldataload(xa_))
                let xa := xor(shr(1, w), sub(0, and(w, 1)))
                w := shr(192, calldataload(xb_))
                let xb := xor(shr(1, w), sub(0, and(w, 1)))
                let bz := mul(sub(1000000000, mload(ctx)), zOld)
                let ha := sdiv(add(mul(mload(ctx), xa), bz), 1000000000)
                let zNew := sdiv(add(ha, sdiv(add(mul(mload(ctx), xb), bz), 1000000000)), 2)
                let xi := add(
                    xor(shr(1, shr(192, calldataload(add(mload(add(ctx, C_DIN)), shl(3, di))))),
                        sub(0, and(shr(192, calldataload(add(mload(add(ctx, C_DIN)), shl(3, di)))), 1))),
                    sdiv(mul(mload(add(ctx, C_RHO)), sub(ha, zNew)), 1000000000)
                )
                if iszero(and(eq(signextend(7, zNew), zNew), eq(signextend(7, xi), xi))) {
                    mstore(0, shl(224, 0xe2f85f8b)) // AdmmCoordinatorValueOutOfRange(uint256,int256)
                    mstore(4, zi)
                    mstore(0x24, zNew)
                    revert(0, 0x44)
                }
                mstore(add(mload(add(ctx, C_ZOUT)), shl(3, zi)), shl(192, xor(shl(1, zNew), sar(255, zNew))))
                mstore(add(mload(add(ctx, C_DOUT)), shl(3, di)), shl(192, xor(shl(1, xi), sar(255, xi))))
                mstore(add(ctx, C_XI2), add(mload(add(ctx, C_XI2)), shl(1, mul(xi, xi))))
                mstore(add(ctx, C_BZ2), add(mload(add(ctx, C_BZ2)), shl(1, mul(zNew, zNew))))
                xi := sdiv(mul(mload(add(ctx, C_RHO)), sub(zNew, zOld)), 1000000000) // d of eq. 19
                mstore(add(ctx, C_S2), add(mload(add(ctx, C_S2)), shl(1, mul(xi, xi))))
                mstore(add(ctx, C_X2), add(mload(add(ctx, C_X2)), add(mul(xa, xa), mul(xb, xb))))
                xa := sub(xa, zNew)
                xb := sub(xb, zNew)
                mstore(add(ctx, C_R2), add(mload(add(ctx, C_R2)), add(mul(xa, xa), mul(xb, xb))))
                xa_ := add(xa_, 8)
                xb_ := add(xb_, 8)
                zi := add(zi, 1)
                di := add(di, 1)
            }
            mstore(add(ctx, C_ZI), zi)
            mstore(add(ctx, C_DI), di)
        }
    }

    /// @dev Any entry (copies at `bases`, buses ascending; used for voltageSq) over the chunk's
    ///      periods; stores every dual but the last, which is minus their sum.
    function _entry(uint256[15] memory ctx, uint256[] memory bases, uint256 ne) private pure {
        assembly ("memory-safe") {
            let basesPtr := add(bases, 0x20)
            let last := sub(ne, 1)
            let tc := mload(add(ctx, C_TC))
            for { let tt := 0 } lt(tt, tc) { tt := add(tt, 1) } {
                let zi := mload(add(ctx, C_ZI))
                let w := shr(192, calldataload(add(mload(add(ctx, C_ZIN)), shl(3, zi))))
                let zOld := xor(shr(1, w), sub(0, and(w, 1)))
                let bz := mul(sub(1000000000, mload(ctx)), zOld)
                // steps 1-2: over-relaxation and averaging (eq. 16)
                let sum := 0
                for { let q := 0 } lt(q, ne) { q := add(q, 1) } {
                    w := shr(192, calldataload(add(mload(add(ctx, C_X)), shl(3, add(mload(add(basesPtr, shl(5, q))), tt)))))
                    sum := add(sum, sdiv(add(mul(mload(ctx), xor(shr(1, w), sub(0, and(w, 1)))), bz), 1000000000))
                }
                let zNew := sdiv(sum, ne)
                if iszero(eq(signextend(7, zNew), zNew)) {
                    mstore(0, shl(224, 0xe2f85f8b))
                    mstore(4, zi)
                    mstore(0x24, zNew)
                    revert(0, 0x44)
                }
                mstore(add(mload(add(ctx, C_ZOUT)), shl(3, zi)), shl(192, xor(shl(1, zNew), sar(255, zNew))))
                // steps 3-4: dual update (eq. 17) and primal residual (eq. 18)
                let lastSum := 0
                let r2 := 0
                let x2 := 0
                let xi2 := 0
                for { let q := 0 } lt(q, ne) { q := add(q, 1) } {
                    w := shr(192, calldataload(add(mload(add(ctx, C_X)), shl(3, add(mload(add(basesPtr, shl(5, q))), tt)))))
                    let xq := xor(shr(1, w), sub(0, and(w, 1)))
                    let dx := sub(xq, zNew)
                    r2 := add(r2, mul(dx, dx))
                    x2 := add(x2, mul(xq, xq))
                    if lt(q, last) {
                        let di := mload(add(ctx, C_DI))
                        let xh := sdiv(add(mul(mload(ctx), xq), bz), 1000000000)
                        w := shr(192, calldataload(add(mload(add(ctx, C_DIN)), shl(3, di))))
                        let xi := add(xor(shr(1, w), sub(0, and(w, 1))), sdiv(mul(mload(add(ctx, C_RHO)), sub(xh, zNew)), 1000000000))
                        if iszero(eq(signextend(7, xi), xi)) {
                            mstore(0, shl(224, 0xe2f85f8b))
                            mstore(4, di)
                            mstore(0x24, xi)
                            revert(0, 0x44)
                        }
                        mstore(add(mload(add(ctx, C_DOUT)), shl(3, di)), shl(192, xor(shl(1, xi), sar(255, xi))))
                        mstore(add(ctx, C_DI), add(di, 1))
                        lastSum := add(lastSum, xi)
                        xi2 := add(xi2, mul(xi, xi))
                    }
                }
                // the last copy's dual is minus the others' (an entry's duals sum to zero)
                let lastXi := sub(0, lastSum)
                if iszero(eq(signextend(7, lastXi), lastXi)) {
                    mstore(0, shl(224, 0xe2f85f8b))
                    mstore(4, mload(add(ctx, C_DI)))
                    mstore(0x24, lastXi)
                    revert(0, 0x44)
                }
                xi2 := add(xi2, mul(lastXi, lastXi))
                // dual residual term (eq. 19) and ||Bz||^2
                let d := sdiv(mul(mload(add(ctx, C_RHO)), sub(zNew, zOld)), 1000000000)
                mstore(add(ctx, C_S2), add(mload(add(ctx, C_S2)), mul(ne, mul(d, d))))
                mstore(add(ctx, C_BZ2), add(mload(add(ctx, C_BZ2)), mul(ne, mul(zNew, zNew))))
                mstore(add(ctx, C_R2), add(mload(add(ctx, C_R2)), r2))
                mstore(add(ctx, C_X2), add(mload(add(ctx, C_X2)), x2))
                mstore(add(ctx, C_XI2), add(mload(add(ctx, C_XI2)), xi2))
                mstore(add(ctx, C_ZI), add(zi, 1))
            }
        }
    }
}
