function mpc = feeder5_meshed
%FEEDER5_TIE  Hand-written 5-bus radial feeder for the gridconsensus importer tests.
%   Written for gridconsensus (MIT). Every branch is closed, so 2-3-5-4 is a loop.

%% MATPOWER Case Format : Version 2
mpc.version = '2';
mpc.baseMVA = 1;

%% bus data
%	bus_i	type	Pd	Qd	Gs	Bs	area	Vm	Va	baseKV	zone	Vmax	Vmin
mpc.bus = [
	1	3	0	0	0	0	1	1.02	0	12	1	1.05	0.95;
	2	1	0.1	0.05	0	0	1	1	0	12	1	1.05	0.95;
	3	1	0.2	0.1	0	0	1	1	0	12	1	1.05	0.95;   % a comment after a row
	4	1	0.15	0.05	0	0	1	1	0	12	1	1.05	0.95
	5	1	0.05	0.02	0	0	1	1	0	12	1	1.1	0.9;
];

%% generator data
mpc.gen = [ 1 0 0 2 -2 1.02 1 1 3 0 ];

%% branch data: rows may be split over lines with ...
%	fbus	tbus	r	x	b	rateA	rateB	rateC	ratio	angle	status	angmin	angmax
mpc.branch = [
	1	2	0.01	0.02	0	0	0	0	0	0	1	-360	360;
	2	3	0.02	0.01	0	0	0	0	0	0	1	-360	360;
	2	4	0.015	0.03	0	0	0	0	0	0	1	-360	360;
	4	5	0.01	0.01	0	0	0	0	0	0	1	-360	360;
	3	5 ...
		0.02	0.02	0	0	0	0	0	0	1	-360	360;
];

%% generator cost data
mpc.gencost = [
	2	0	0	3	12.5	45	0;
];

