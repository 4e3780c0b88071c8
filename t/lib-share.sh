# t/lib-share.sh: helpers of the pki-share scripts (3xxx).  Source it
# after lib.sh and lib-product.sh.

# on_list ID NAME: NAME is on the product's distribution list (its label).
on_list() {
	case " $(list_of "$1") " in
	*" $2 "*) return 0 ;;
	esac
	return 1
}

# listed ID: how many principals the label lists.
listed() {
	list_of "$1" | wc -w
}

# nkeys FILE: how many keys a message is encrypted to, as stock gpg sees it.
nkeys() {
	gpg --batch --list-packets "$1" 2>/dev/null | grep -c "^:pubkey enc packet"
}

# xml_field FILE NAME: the text of element NAME of a label file.
xml_field() {
	xmllint --xpath "normalize-space(//*[local-name()=\"$2\"])" "$1"
}

# field ACTION PRODUCT RECIPIENT COLUMN: a column of the one registry row
# for that action, product and recipient, read with Python's csv.
field() {
	python3 - "$@" "$REPO"/registry/*.csv <<-\EOF
	import csv, sys
	action, product, recipient, col = sys.argv[1:5]
	hits = [r for f in sys.argv[5:] for r in csv.DictReader(open(f, newline=""))
	        if r["action"] == action and r["product"] == product and r["recipient"] == recipient]
	if len(hits) != 1:
	    sys.exit("%d %s rows for %s %s" % (len(hits), action, product, recipient))
	print(hits[0][col])
	EOF
}
