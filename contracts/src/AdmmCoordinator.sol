// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {AdmmCodec} from "./AdmmCodec.sol";

/// @title AdmmCoordinator (S1)
/// @notice Runs the consensus-ADMM coordinator step of docs/admm-protocol.md on chain in int64
///         fixed point (scale 1e9): averaging (eq. 16), dual update (eq. 17), squared residuals
///         (eq. 18-19), Boyd stopping and residual balancing, then commits the final schedule.
/// @dev State is a hash per period chunk; z and the compressed duals travel in calldata (zig-zag
///      int64, 8 bytes each) and are checked against that hash. See docs/chain-design.md.
contract AdmmCoordinator is EIP712 {
    int256 private constant S = 1e9;
    bytes32 public constant LOCAL_VECTOR_TYPEHASH =
        keccak256("LocalVector(uint64 iteration,uint16 bus,uint16 chunk,bytes32 valuesHash)");
    bytes32 public constant FINAL_SLICE_TYPEHASH =
        keccak256("FinalSlice(uint16 bus,int64[] netInjection,int64[] dlmp)");

    /// @notice ADMM parameters, all at scale 1e9 (alpha, mu, tau dimensionless; eps in p.u.).
    struct Params {
        int64 rho0;
        int64 alpha;
        int64 mu;
        int64 tau;
        int64 epsAbs;
        int64 epsRel;
        bool residualBalancing;
    }

    /// @notice One bus's final schedule slice (the leaf Billing proves against scheduleRoot).
    struct ScheduleSlice {
        uint16 bus;
        address participant;
        int64[] netInjection;
        int64[] dlmp;
    }

    /// @dev Everything that changes per iteration, in one slot.
    struct Status {
        uint64 iteration;
        int64 rho;
        uint64 chunksDone;
        bool converged;
        bool finalized;
    }

    address public immutable operator;
    uint256 public immutable busCount;
    uint256 public immutable periods;
    uint256 public immutable periodsPerChunk;
    uint256 public immutable chunkCount;
    uint256 public immutable globalSize;
    uint256 public immutable totalCopies;
    int256 private immutable alpha;
    int256 private immutable mu;
    int256 private immutable tau;
    int256 private immutable epsAbs;
    int256 private immutable epsRel;
    bool private immutable residualBalancing;

    /// @notice Code-stored blob: parent (2 bytes) per bus; after registration also the accounts.
    address public layoutPointer;
    Status private _status;
    bytes32[] public chunkStateHash;
    /// @notice Residual sums of the chunks done in the current iteration (chunked runs only).
    uint256[5] private _partial;
    mapping(uint256 bus => bytes32) public committedVector;
    mapping(address => uint256) private _busPlusOne;
    bytes32 public scheduleRoot;

    /// @notice The layout and parameters, for replay and verifiers.
    event CoordinatorDeployed(uint16[] parents, uint256 periods, uint256 periodsPerChunk, Params params);
    /// @notice The bus accounts and the initial z (zig-zag int64, global order e*T + t).
    event BusesRegistered(address[] accounts, bytes initialZ);
    event LocalVectorCommitted(uint256 indexed bus, uint64 indexed iteration, uint16 chunk, bytes32 valuesHash);
    /// @notice The new z of one chunk (zig-zag int64, entry-major then period) and its state hash.
    event ChunkStepped(uint64 indexed iteration, uint16 indexed chunk, bytes zNext, bytes32 chunkHash);
    event IterationCompleted(
        uint64 indexed iteration, int64 rho, uint256 primalResidualSq, uint256 dualResidualSq,
        bool converged, int64 nextRho
    );
    event FinalSliceRecorded(uint16 indexed bus, address participant, int64[] netInjection, int64[] dlmp);
    event ScheduleFinalized(bytes32 root, bytes32 stateHash);

    error AdmmCoordinatorNotOperator(address caller);
    error AdmmCoordinatorInvalidConfig(uint8 what, int256 value);
    error AdmmCoordinatorInvalidParent(uint256 bus, uint256 parent);
    error AdmmCoordinatorAlreadyRegistered();
    error AdmmCoordinatorNotRegistered();
    error AdmmCoordinatorWrongBusCount(uint256 expected, uint256 got);
    error AdmmCoordinatorUnknownBus(address account);
    error AdmmCoordinatorWrongIteration(uint64 expected, uint64 got);
    error AdmmCoordinatorBadChunk(uint256 chunk, uint256 chunkCount);
    error AdmmCoordinatorDuplicateChunk(uint64 iteration, uint256 chunk);
    error AdmmCoordinatorWrongVectorLength(uint256 expected, uint256 got);
    error AdmmCoordinatorWrongStateLength(uint256 expectedZ, uint256 gotZ, uint256 expectedDuals, uint256 gotDuals);
    error AdmmCoordinatorMissingVector(uint256 bus);
    error AdmmCoordinatorBadSignature(uint256 bus, uint8 reason);
    error AdmmCoordinatorWrongSigner(uint256 bus, address expected, address recovered);
    error AdmmCoordinatorStateMismatch(uint256 chunk, bytes32 expected, bytes32 got);
    error AdmmCoordinatorAlreadyConverged(uint64 iteration);
    error AdmmCoordinatorNotConverged(uint64 iteration);
    error AdmmCoordinatorAlreadyFinal();
    error AdmmCoordinatorWrongParticipant(uint256 bus, address expected, address got);
    error AdmmCoordinatorWrongPeriodCount(uint256 bus, uint256 expected, uint256 got);

    /// @notice Deploys the coordinator for a radial tree (`parents[0]` = 0 for the root, else
    ///         parents[k] < k), `periods_` periods split into chunks of `periodsPerChunk_`.
    constructor(uint16[] memory parents, uint256 periods_, uint256 periodsPerChunk_, Params memory p)
        EIP712("gridconsensus AdmmCoordinator", "1")
    {
        uint256 n = parents.length;
        if (n == 0 || n > 65535) revert AdmmCoordinatorInvalidConfig(0, int256(n));
        if (periods_ == 0 || periods_ > 65535) revert AdmmCoordinatorInvalidConfig(1, int256(periods_));
        if (periodsPerChunk_ == 0 || periodsPerChunk_ > periods_) revert AdmmCoordinatorInvalidConfig(2, int256(periodsPerChunk_));
        uint256 chunks = (periods_ + periodsPerChunk_ - 1) / periodsPerChunk_;
        if (chunks > 64) revert AdmmCoordinatorInvalidConfig(3, int256(chunks));
        if (p.rho0 <= 0) revert AdmmCoordinatorInvalidConfig(4, p.rho0);
        if (p.alpha <= 0 || p.alpha >= 2 * S) revert AdmmCoordinatorInvalidConfig(5, p.alpha);
        if (p.residualBalancing && (p.tau < S || p.mu < S)) revert AdmmCoordinatorInvalidConfig(6, p.tau);
        if (p.epsAbs < 0 || p.epsRel < 0) revert AdmmCoordinatorInvalidConfig(7, p.epsAbs);
        bytes memory blob = new bytes(2 * n);
        uint256 copies;
        for (uint256 k = 0; k < n; k++) {
            uint256 par = parents[k];
            if (k == 0 ? par != 0 : par >= k) revert AdmmCoordinatorInvalidParent(k, par);
            blob[2 * k] = bytes1(uint8(par >> 8));
            blob[2 * k + 1] = bytes1(uint8(par));
            copies += k == 0 ? 1 : 6; // own pFlow, qFlow, voltageSq, parent voltageSq + 2 flow copies at the parent
        }
        uint256 g = (3 * n - 2) * periods_;
        operator = msg.sender;
        busCount = n;
        periods = periods_;
        periodsPerChunk = periodsPerChunk_;
        chunkCount = chunks;
        globalSize = g;
        totalCopies = copies * periods_;
        alpha = p.alpha;
        mu = p.mu;
        tau = p.tau;
        epsAbs = p.epsAbs;
        epsRel = p.epsRel;
        residualBalancing = p.residualBalancing;
        layoutPointer = AdmmCodec.writeBlob(blob);
        _status.rho = p.rho0;
        emit CoordinatorDeployed(parents, periods_, periodsPerChunk_, p);
    }

    /// @notice Registers one account per bus (index = bus) and the initial z (zig-zag int64,
    ///         global order e*T + t; duals start at zero), once, by the operator.
    function registerBuses(address[] calldata accounts, bytes calldata initialZ) external {
        if (msg.sender != operator) revert AdmmCoordinatorNotOperator(msg.sender);
        if (layoutPointer.code.length > 1 + 2 * busCount) revert AdmmCoordinatorAlreadyRegistered();
        if (accounts.length != busCount) revert AdmmCoordinatorWrongBusCount(busCount, accounts.length);
        if (initialZ.length != 8 * globalSize) revert AdmmCoordinatorWrongStateLength(8 * globalSize, initialZ.length, 0, 0);
        bytes memory z0 = initialZ;
        for (uint256 c = 0; c < chunkCount; c++) {
            chunkStateHash.push(AdmmCodec.initialChunkHash(z0, busCount, periods, c * periodsPerChunk, _chunkPeriods(c), 3 * busCount - 3));
        }
        bytes memory blob = AdmmCodec.blobData(layoutPointer.code);
        for (uint256 b = 0; b < accounts.length; b++) blob = bytes.concat(blob, bytes20(accounts[b]));
        for (uint256 b = 0; b < accounts.length; b++) _busPlusOne[accounts[b]] = b + 1;
        layoutPointer = AdmmCodec.writeBlob(blob);
        emit BusesRegistered(accounts, initialZ);
    }

    /// @notice Lets a bus prove its vector with its own transaction instead of a signature: the
    ///         batch then carries an empty (v = 0) signature for this bus.
    function commitLocalVector(uint64 iteration, uint16 chunk, bytes32 valuesHash) external {
        uint256 b = _busPlusOne[msg.sender];
        if (b == 0) revert AdmmCoordinatorUnknownBus(msg.sender);
        committedVector[b - 1] = keccak256(abi.encode(iteration, chunk, valuesHash));
        emit LocalVectorCommitted(b - 1, iteration, chunk, valuesHash);
    }

    /// @notice One coordinator step for one period chunk (the whole iteration when chunkCount = 1).
    /// @param x every bus's local values for the chunk's periods, bus-major then copy then period
    /// @param zPrev z^k of the chunk, entry-major then period; @param dualsPrev compressed duals
    /// @param signatures 65 bytes (r, s, v) per bus over LocalVector; v = 0 means own transaction
    function submitIteration(
        uint64 iteration, uint16 chunk, bytes calldata x, bytes calldata zPrev, bytes calldata dualsPrev,
        bytes calldata signatures
    ) external {
        Status memory st = _status;
        if (st.converged) revert AdmmCoordinatorAlreadyConverged(st.iteration);
        if (iteration != st.iteration) revert AdmmCoordinatorWrongIteration(st.iteration, iteration);
        if (chunk >= chunkCount) revert AdmmCoordinatorBadChunk(chunk, chunkCount);
        if (st.chunksDone & (uint64(1) << chunk) != 0) revert AdmmCoordinatorDuplicateChunk(iteration, chunk);
        bytes memory blob = layoutPointer.code;
        if (blob.length == 1 + 2 * busCount) revert AdmmCoordinatorNotRegistered();
        AdmmCodec.Layout memory lay = AdmmCodec.decodeLayout(blob, busCount, _chunkPeriods(chunk));
        if (x.length != 8 * lay.localTotal) revert AdmmCoordinatorWrongVectorLength(8 * lay.localTotal, x.length);
        if (zPrev.length != 8 * lay.entryPeriods || dualsPrev.length != 8 * lay.dualTotal) {
            revert AdmmCoordinatorWrongStateLength(8 * lay.entryPeriods, zPrev.length, 8 * lay.dualTotal, dualsPrev.length);
        }
        bytes32 stored = chunkStateHash[chunk];
        bytes32 given = AdmmCodec.chunkHash(zPrev, dualsPrev);
        if (given != stored) revert AdmmCoordinatorStateMismatch(chunk, stored, given);
        _checkProvenance(lay, blob, iteration, chunk, x, signatures);

        AdmmCodec.StepParams memory sp = AdmmCodec.StepParams(alpha, int256(st.rho));
        (AdmmCodec.Sums memory sums, bytes memory zNext, bytes32 newHash) = AdmmCodec.step(lay, sp, x, zPrev, dualsPrev);
        chunkStateHash[chunk] = newHash;
        emit ChunkStepped(iteration, chunk, zNext, newHash);

        st.chunksDone |= uint64(1) << chunk;
        if (chunkCount > 1) {
            bool first = st.chunksDone == (uint64(1) << chunk);
            sums = _accumulate(sums, first);
            if (st.chunksDone != type(uint64).max >> (64 - chunkCount)) {
                _status = st;
                return;
            }
        }
        _completeIteration(st, sums);
    }

    /// @notice Commits the Merkle root of every bus's final slice (bus order), each signed by its
    ///         bus (FinalSlice typed data; v = 0 when the bus itself sends this transaction).
    function finalizeSchedule(ScheduleSlice[] calldata slices, bytes calldata signatures) external {
        Status memory st = _status;
        if (!st.converged) revert AdmmCoordinatorNotConverged(st.iteration);
        if (st.finalized) revert AdmmCoordinatorAlreadyFinal();
        if (slices.length != busCount) revert AdmmCoordinatorWrongBusCount(busCount, slices.length);
        if (signatures.length != 65 * busCount) revert AdmmCoordinatorMissingVector(signatures.length / 65);
        bytes memory blob = layoutPointer.code;
        bytes32[] memory nodes = new bytes32[](busCount);
        for (uint256 b = 0; b < busCount; b++) {
            ScheduleSlice calldata s = slices[b];
            address account = AdmmCodec.accountOf(blob, busCount, b);
            if (s.bus != b || s.participant != account) revert AdmmCoordinatorWrongParticipant(b, account, s.participant);
            if (s.netInjection.length != periods) revert AdmmCoordinatorWrongPeriodCount(b, periods, s.netInjection.length);
            if (s.dlmp.length != periods) revert AdmmCoordinatorWrongPeriodCount(b, periods, s.dlmp.length);
            bytes32 structHash = keccak256(abi.encode(
                FINAL_SLICE_TYPEHASH, s.bus, keccak256(abi.encodePacked(s.netInjection)), keccak256(abi.encodePacked(s.dlmp))
            ));
            _checkSigner(b, account, _hashTypedDataV4(structHash), signatures, bytes32(0));
            nodes[b] = keccak256(bytes.concat(keccak256(abi.encode(s.bus, s.participant, s.netInjection, s.dlmp))));
            emit FinalSliceRecorded(s.bus, s.participant, s.netInjection, s.dlmp);
        }
        // Pairwise commutative hashing, odd node promoted: any OZ MerkleProof path verifies.
        for (uint256 len = busCount; len > 1; len = (len + 1) / 2) {
            for (uint256 i = 0; i < len / 2; i++) nodes[i] = Hashes.commutativeKeccak256(nodes[2 * i], nodes[2 * i + 1]);
            if (len % 2 == 1) nodes[len / 2] = nodes[len - 1];
        }
        scheduleRoot = nodes[0];
        _status.finalized = true;
        emit ScheduleFinalized(nodes[0], stateHash());
    }

    /// @notice True once the final schedule root is committed (Billing binds days to it).
    function isFinal() external view returns (bool) {
        return _status.finalized;
    }

    /// @notice Current iteration, rho, converged and finalized flags, chunks done this iteration.
    function status() external view returns (uint64 iteration, int64 rho, bool converged, bool finalized, uint64 chunksDone) {
        Status memory st = _status;
        return (st.iteration, st.rho, st.converged, st.finalized, st.chunksDone);
    }

    /// @notice keccak(iteration, rho, converged, chunk hashes...) as the bigint mirror computes it.
    function stateHash() public view returns (bytes32) {
        Status memory st = _status;
        return keccak256(abi.encodePacked(st.iteration, st.rho, st.converged, chunkStateHash));
    }

    /// @notice The registered account of `bus` (zero before registration).
    function busAccount(uint256 bus) external view returns (address) {
        bytes memory blob = layoutPointer.code;
        if (blob.length == 1 + 2 * busCount || bus >= busCount) return address(0);
        return AdmmCodec.accountOf(blob, busCount, bus);
    }

    function _chunkPeriods(uint256 chunk) private view returns (uint256) {
        uint256 t0 = chunk * periodsPerChunk;
        return Math.min(periodsPerChunk, periods - t0);
    }

    function _checkProvenance(
        AdmmCodec.Layout memory lay, bytes memory blob, uint64 iteration, uint16 chunk, bytes calldata x,
        bytes calldata signatures
    ) private view {
        uint256 n = busCount;
        if (signatures.length != 65 * n) revert AdmmCoordinatorMissingVector(signatures.length / 65);
        bytes32 domainSeparator = _domainSeparatorV4();
        // unchecked: offsets come from the layout and x's length was checked against it
        unchecked {
            uint256[] memory busOffset = lay.busOffset;
            for (uint256 b = 0; b < n; b++) {
                bytes32 valuesHash;
                address account;
                uint256 v;
                // bus b's slice of x (hashed through free memory), its account and signature's v
                assembly ("memory-safe") {
                    let start := shl(3, mload(add(busOffset, shl(5, add(b, 1)))))
                    let end := x.length
                    if lt(add(b, 1), n) { end := shl(3, mload(add(busOffset, shl(5, add(b, 2))))) }
                    let m := mload(0x40)
                    calldatacopy(m, add(x.offset, start), sub(end, start))
                    valuesHash := keccak256(m, sub(end, start))
                    account := shr(96, mload(add(add(blob, 0x21), add(shl(1, n), mul(20, b)))))
                    v := byte(0, calldataload(add(signatures.offset, add(mul(65, b), 64))))
                }
                if (v == 0) {
                    _checkSigner(b, account, bytes32(0), signatures, keccak256(abi.encode(iteration, chunk, valuesHash)));
                    continue;
                }
                bytes32 digest = AdmmCodec.localVectorDigest(LOCAL_VECTOR_TYPEHASH, domainSeparator, iteration, b, chunk, valuesHash);
                (address recovered, uint8 err) = AdmmCodec.recoverAt(digest, signatures, b);
                if (err != 0) revert AdmmCoordinatorBadSignature(b, err);
                if (recovered != account) revert AdmmCoordinatorWrongSigner(b, account, recovered);
            }
        }
    }

    /// @dev Accepts a valid signature by `account`, or (v = 0) the account's own transaction or
    ///      its prior commitLocalVector of `commitment`.
    function _checkSigner(uint256 b, address account, bytes32 digest, bytes calldata signatures, bytes32 commitment) private view {
        if (uint8(signatures[65 * b + 64]) == 0) {
            if (msg.sender == account) return;
            if (commitment != bytes32(0) && committedVector[b] == commitment) return;
            revert AdmmCoordinatorMissingVector(b);
        }
        (address recovered, uint8 err) = AdmmCodec.recoverAt(digest, signatures, b);
        if (err != 0) revert AdmmCoordinatorBadSignature(b, err);
        if (recovered != account) revert AdmmCoordinatorWrongSigner(b, account, recovered);
    }

    /// @dev Adds this chunk's sums to the stored partial sums (overwriting on the first chunk).
    function _accumulate(AdmmCodec.Sums memory sums, bool first) private returns (AdmmCodec.Sums memory total) {
        uint256[5] memory v = [sums.r2, sums.s2, sums.lineX2, sums.lineBz2, sums.xi2];
        if (!first) {
            for (uint256 i = 0; i < 5; i++) v[i] += _partial[i];
        }
        _partial = v;
        return AdmmCodec.Sums(v[0], v[1], v[2], v[3], v[4]);
    }

    /// @dev Steps 5-7 of the protocol once every chunk of the iteration is in.
    function _completeIteration(Status memory st, AdmmCodec.Sums memory sums) private {
        int256 rho = st.rho;
        uint256 base = Math.sqrt(totalCopies * uint256(epsAbs * epsAbs));
        uint256 epsPri = base + uint256(epsRel) * Math.max(Math.sqrt(sums.lineX2), Math.sqrt(sums.lineBz2)) / uint256(S);
        uint256 epsDual = base + uint256(epsRel) * Math.sqrt(sums.xi2) / uint256(S);
        bool converged = sums.r2 <= epsPri * epsPri && sums.s2 <= epsDual * epsDual;
        int256 next = rho;
        if (!converged && residualBalancing) {
            uint256 mu2 = uint256(mu * mu);
            uint256 s2 = uint256(S * S);
            if (sums.r2 > mu2 * sums.s2 / s2) next = rho * tau / S;
            else if (sums.s2 > mu2 * sums.r2 / s2) next = rho * S / tau;
            if (next > type(int64).max || next <= 0) revert AdmmCodec.AdmmCoordinatorValueOutOfRange(type(uint256).max, next);
        }
        emit IterationCompleted(st.iteration, int64(rho), sums.r2, sums.s2, converged, int64(next));
        st.iteration += 1;
        st.rho = int64(next);
        st.converged = converged;
        st.chunksDone = 0;
        _status = st;
    }
}
