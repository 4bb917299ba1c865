# cocci-reports.awk: the reports in a log of the kernel's scripts/coccicheck
# (one-file mode, MODE=report), one per line as "RULE<tab>FILE: MESSAGE",
# RULE the .cocci file of the spatch command echoed before it, line and
# column numbers taken out (the series moves code). A report before any
# echoed command gets an empty RULE, which coccicheck.sh reads as "every
# rule".

/^[^ ]*spatch[^ ]* .*--cocci-file / {
	for (i = 1; i < NF; i++)
		if ($i == "--cocci-file")
			rule = $(i + 1)
	next
}

/^[^ :]+\.c:[0-9]+/ {
	report = $0
	sub(/:[0-9]+(:[0-9-]+)?:/, ":", report)
	gsub(/ at line [0-9]+/, " at line N", report)
	print rule "\t" report
}
