# left-out.awk -v mark="$MARK_LEFT_OUT" -v tests="TEST ...": read
# hmm-tests -l and print one line "MARK FIXTURE.VARIANT.TEST" for every
# case that -T TEST leaves out: TEST in each variant of each fixture that
# has it. The report counts these lines as skips, each case once however
# often its TEST is named. Exits 1 if a TEST names no test, since -T NAME
# with a mistyped NAME leaves nothing out, or if no TEST is named. The
# marker comes from vm/markers, which the host's report.py reads too.
#
# -l prints "%-20s %-25s %s" (fixture, variant, test) with blank columns
# where a fixture has fewer variants than tests, and dashes between
# fixtures. A field's column says which it is: one that starts past the
# variant column's end is a test, which also holds when a name longer
# than its column pushes the rest right (up to a 45-character fixture).

BEGIN {
	if (mark == "") {
		print "left-out.awk: no -v mark= (MARK_LEFT_OUT of vm/markers)"
		status = 1
		exit
	}
	count = split(tests, names, " ")
	for (i = 1; i <= count; i++) {
		if (names[i] in found)
			continue
		wanted[++n] = names[i]
		found[names[i]] = 0
	}
	if (!n) {
		print "zdfolio.skip= names no test"
		status = 1
		exit
	}
}

/^#/ { next }
/^-+$/ { end_fixture(); next }
{ read_columns($0) }
END {
	end_fixture()
	for (i = 1; i <= n; i++) {
		if (!found[wanted[i]]) {
			print "zdfolio.skip=" wanted[i] ": hmm-tests has no such test"
			status = 1
		}
	}
	exit status
}

function read_columns(line,    pos, field) {
	pos = 1
	while (match(line, /[^ ]+/)) {
		pos += RSTART - 1
		field = substr(line, RSTART, RLENGTH)
		if (pos <= 21)
			fixture = field
		else if (pos <= 47)
			variant[++variants] = field
		else
			has[field] = 1
		pos += RLENGTH
		line = substr(line, RSTART + RLENGTH)
	}
}

function end_fixture(    i, v) {
	for (i = 1; i <= n; i++) {
		if (!(wanted[i] in has))
			continue
		found[wanted[i]] = 1
		if (!variants)
			print mark " " fixture "." wanted[i]
		for (v = 1; v <= variants; v++)
			print mark " " fixture "." variant[v] "." wanted[i]
	}
	fixture = ""
	variants = 0
	for (i in has)
		delete has[i]
}
