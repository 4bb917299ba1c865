# cocci-reports.awk: the reports in a log of the kernel's scripts/coccicheck
# (one-file mode, MODE=report), one per line as "RULE<tab>REPORT", RULE the
# .cocci file of the spatch command echoed before it, REPORT as coccicheck
# printed it, "FILE:LINE:COL-COL: MESSAGE" (coccicheck.sh takes the
# numbers out with warning_text of lib.sh, as the other checks do). A
# report before any echoed command gets an empty RULE, which coccicheck.sh
# reads as "every rule".

/^[^ ]*spatch[^ ]* .*--cocci-file / {
	for (i = 1; i < NF; i++)
		if ($i == "--cocci-file")
			rule = $(i + 1)
	next
}

/^[^ :]+\.c:[0-9]+/ {
	print rule "\t" $0
}
