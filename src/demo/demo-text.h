/*
 * demo-text.h: the phrase tables of the demo generator (demo.c only).
 *
 * Every phrase is a pair, French then English, so the two languages stay
 * parallel. Phrases hold slots in braces that demo.c fills for each
 * conversation: {first} {name} {agent} {brand} {order} {product}
 * {aproduct} {myproduct} {pname} {price} {odate} {eta} {carrier}
 * {tracking} {code} {store} {invoice} {ticket} {plan} {email} {last4}
 * {wait} {help}; a capital first letter ({Product}) capitalises the value.
 * Braces never appear in a phrase otherwise. Customer phrases start with
 * their subject, never with a greeting: demo.c adds greetings, and
 * e-mail salutations and signatures, itself.
 */
#ifndef OMBRE_DEMO_TEXT_H
#define OMBRE_DEMO_TEXT_H

struct demo_pair {
	const char	*fr;
	const char	*en;
};

struct demo_list {
	const struct demo_pair	*v;
	size_t			 n;
};
#define DEMO_LIST(a)	{ (a), nitems(a) }
#define DEMO_NONE	{ NULL, 0 }

/* What a customer shows with the topic's show phrases. */
enum demo_attach {
	DEMO_ATTACH_NONE,
	DEMO_ATTACH_PHOTO,	/* a photo of the item or the parcel */
	DEMO_ATTACH_SCREENSHOT	/* a screenshot of an error */
};

/*
 * What an agent sends with the topic's send phrases; an invoice also goes
 * with the bot's answer.
 */
enum demo_attach_out {
	DEMO_OUT_NONE,
	DEMO_OUT_INVOICE,	/* the invoice as PDF */
	DEMO_OUT_LABEL,		/* a prepaid return label as PDF */
	DEMO_OUT_CREDIT		/* a credit note as PDF */
};

struct demo_topic {
	const char		*name;
	const char		*labels[3];	/* NULL-terminated */
	int			 weight;	/* how often it comes up */
	int			 bot_ok;	/* the bot can answer it alone */
	int			 always_prio;	/* always ombre/prio/high */
	enum demo_attach	 attach;
	enum demo_attach_out	 attach_out;
	struct demo_list	 subject;	/* e-mail subjects */
	struct demo_list	 open;		/* the customer's first message */
	struct demo_list	 detail;	/* the customer's details */
	struct demo_list	 show;		/* ... with a picture (attach) */
	struct demo_list	 bot;		/* the bot's first-level answer */
	struct demo_list	 ask;		/* the agent's first question */
	struct demo_list	 solve;		/* the agent's answer */
	struct demo_list	 send;		/* ... with a document (attach_out) */
	struct demo_list	 wait;		/* the agent's "I'll come back" */
	struct demo_list	 note;		/* internal notes */
};

/* ------------------------------------------------------- late delivery */

static const struct demo_pair demo_late_subject[] = {
	{ "Commande {order} toujours pas livrée", "Order {order} still not delivered" },
	{ "Retard de livraison", "Where is my order?" },
	{ "Colis {tracking} bloqué ?", "Parcel {tracking} stuck?" }
};
static const struct demo_pair demo_late_open[] = {
	{ "Ma commande {order} devait arriver {odate} et toujours rien 😕",
	  "My order {order} was supposed to arrive {odate} and still nothing 😕" },
	{ "J'ai commandé {aproduct} il y a 10 jours, le suivi n'a pas bougé depuis 4 jours. C'est normal ?",
	  "I ordered {aproduct} 10 days ago and the tracking hasn't moved in 4 days. Is that normal?" },
	{ "Où en est ma commande {order} ? C'est pour un anniversaire samedi 🎂",
	  "Any news on order {order}? It's a birthday present for Saturday 🎂" },
	{ "Le site dit « livré » mais je n'ai rien reçu, ni dans la boîte aux lettres ni chez les voisins",
	  "The website says \"delivered\" but I got nothing, not in the letterbox and not at the neighbours'" }
};
static const struct demo_pair demo_late_detail[] = {
	{ "Le numéro de suivi c'est {tracking}, {carrier} indique « en cours d'acheminement » depuis lundi",
	  "The tracking number is {tracking}, {carrier} just says \"in transit\" since Monday" },
	{ "Commande {order}, passée {odate}. Livraison à domicile.",
	  "Order {order}, placed {odate}. Home delivery." }
};
static const struct demo_pair demo_late_show[] = {
	{ "Voilà la page de suivi", "This is the tracking page" }
};
static const struct demo_pair demo_late_bot[] = {
	{ "Votre commande {order} a été remise à {carrier} (suivi {tracking}). Livraison prévue {eta}. 📦",
	  "Your order {order} is with {carrier} (tracking {tracking}). Delivery expected {eta}. 📦" },
	{ "Je vois une commande {order} expédiée {odate}. Vous pouvez suivre le colis ici : https://www.example.com/suivi/{tracking}",
	  "I can see order {order}, shipped {odate}. You can track it here: https://www.example.com/track/{tracking}" }
};
static const struct demo_pair demo_late_ask[] = {
	{ "Toutes mes excuses pour ce retard. Je regarde où en est le colis auprès de {carrier}.",
	  "Sorry about the delay. Let me check with {carrier} where the parcel is." },
	{ "Pouvez-vous me confirmer l'adresse de livraison ? Je vérifie le suivi de votre colis.",
	  "Could you confirm the delivery address? I'm checking your parcel's tracking." }
};
static const struct demo_pair demo_late_solve[] = {
	{ "Le colis était bloqué au centre de tri de {carrier}. Il est reparti ce matin, livraison prévue {eta}. Je vous rembourse les frais de port (4,90 €).",
	  "The parcel was stuck at {carrier}'s sorting centre. It left this morning, delivery expected {eta}. I've refunded the shipping fee (£3.99)." },
	{ "Bonne nouvelle : votre colis est en cours de livraison et devrait arriver {eta}. Je garde un œil dessus 👀",
	  "Good news: your parcel is out for delivery and should arrive {eta}. I'll keep an eye on it 👀" }
};
static const struct demo_pair demo_late_wait[] = {
	{ "J'ai ouvert une enquête auprès de {carrier}, ils répondent en général sous 48 h. Je reviens vers vous dès que j'ai leur retour.",
	  "I've opened an investigation with {carrier}; they usually answer within 48 hours. I'll get back to you as soon as I hear from them." }
};
static const struct demo_pair demo_late_note[] = {
	{ "Colis bloqué au hub {carrier} depuis 5 jours, enquête ouverte (réf. {ticket})",
	  "Parcel stuck at the {carrier} hub for 5 days, claim opened (ref {ticket})" },
	{ "2e retard pour ce client ce mois-ci, geste commercial OK",
	  "Second delay for this customer this month, goodwill gesture approved" }
};

/* -------------------------------------------------------------- refund */

static const struct demo_pair demo_refund_subject[] = {
	{ "Demande de remboursement {order}", "Refund request {order}" },
	{ "Remboursement non reçu", "Refund not received" }
};
static const struct demo_pair demo_refund_open[] = {
	{ "J'ai renvoyé {product} il y a 3 semaines et je n'ai toujours pas reçu le remboursement.",
	  "I sent back {product} 3 weeks ago and I still haven't received my refund." },
	{ "Je voudrais un remboursement pour ma commande {order}, l'article ne me convient pas.",
	  "I'd like a refund for order {order}, the item isn't right for me." },
	{ "Vous m'avez débité deux fois {price} pour la même commande !! 😡",
	  "You charged me {price} twice for the same order!! 😡" }
};
static const struct demo_pair demo_refund_detail[] = {
	{ "Le retour a été déposé en point relais {odate}, j'ai le reçu.",
	  "I dropped the return at the parcel shop {odate}, I have the receipt." },
	{ "Carte qui se termine par {last4}, deux prélèvements de {price} le même jour.",
	  "Card ending {last4}, two payments of {price} on the same day." }
};
static const struct demo_pair demo_refund_ask[] = {
	{ "Je vérifie tout de suite l'état de votre remboursement.",
	  "Let me check the status of your refund right away." },
	{ "Pouvez-vous me donner les 4 derniers chiffres de la carte utilisée ?",
	  "Could you give me the last 4 digits of the card you used?" }
};
static const struct demo_pair demo_refund_solve[] = {
	{ "C'est fait : le remboursement de {price} est parti sur votre carte se terminant par {last4}. Comptez 3 à 5 jours ouvrés.",
	  "Done: the refund of {price} has been issued to your card ending {last4}. Please allow 3 to 5 working days." }
};
static const struct demo_pair demo_refund_send[] = {
	{ "Le double prélèvement est bien une erreur de notre côté, toutes nos excuses. Le second paiement de {price} est annulé, voici l'avoir.",
	  "The double charge was our mistake, sorry about that. The second payment of {price} is cancelled, here is the credit note." }
};
static const struct demo_pair demo_refund_wait[] = {
	{ "J'ai transmis votre dossier à la comptabilité, ils valident les remboursements le jeudi. Je reviens vers vous jeudi au plus tard.",
	  "I've passed your case to our accounts team; they approve refunds on Thursdays. I'll get back to you by Thursday at the latest." }
};
static const struct demo_pair demo_refund_note[] = {
	{ "Client VIP, déjà remboursé en mars", "VIP customer, already refunded in March" },
	{ "Retour reçu à l'entrepôt, état OK → remboursement validé",
	  "Return received at the warehouse, condition OK → refund approved" }
};

/* ------------------------------------------------------ broken product */

static const struct demo_pair demo_broken_subject[] = {
	{ "Produit arrivé cassé", "Item arrived damaged" },
	{ "Problème avec {product}", "Problem with {product}" }
};
static const struct demo_pair demo_broken_open[] = {
	{ "J'ai reçu {myproduct} ce matin et il y a une grosse fissure sur le côté 😡",
	  "My {pname} arrived this morning with a big crack on the side 😡" },
	{ "{Myproduct} ne s'allume plus au bout de deux jours.",
	  "My {pname} stopped turning on after two days." },
	{ "Le carton était écrasé, {product} est en morceaux 😢",
	  "The box was crushed and {product} is in pieces 😢" }
};
static const struct demo_pair demo_broken_detail[] = {
	{ "Je l'ai à peine utilisé, c'était un cadeau", "I've barely used it, it was a present" }
};
static const struct demo_pair demo_broken_show[] = {
	{ "Voici une photo", "Here's a photo" },
	{ "Photo du colis à la réception 👇", "Photo of the parcel when it arrived 👇" },
	{ "Regardez l'état du truc…", "Look at the state of it…" }
};
static const struct demo_pair demo_broken_ask[] = {
	{ "Quel dommage, toutes nos excuses ! Pouvez-vous m'envoyer une photo du produit et du carton ?",
	  "Oh no, I'm so sorry! Could you send me a photo of the item and the box?" },
	{ "Le carton était-il abîmé à la livraison ?", "Was the box damaged on delivery?" }
};
static const struct demo_pair demo_broken_solve[] = {
	{ "Je vous envoie un nouvel exemplaire dès aujourd'hui, sans frais. Pas besoin de nous renvoyer l'ancien.",
	  "I'm sending you a replacement today, free of charge. No need to send the old one back." }
};
static const struct demo_pair demo_broken_send[] = {
	{ "Voici une étiquette de retour prépayée. Dès réception, on vous rembourse {price}.",
	  "Here is a prepaid return label. As soon as we receive it, we'll refund {price}." }
};
static const struct demo_pair demo_broken_wait[] = {
	{ "Je demande à l'entrepôt s'il reste {aproduct} en stock et je reviens vers vous demain.",
	  "I'm asking the warehouse whether we still have {aproduct} in stock and will get back to you tomorrow." }
};
static const struct demo_pair demo_broken_note[] = {
	{ "Lot défectueux ? 3e signalement cette semaine sur {product}",
	  "Faulty batch? 3rd report this week on the {pname}" },
	{ "Photo OK, casse transporteur → réclamation {carrier}",
	  "Photo OK, carrier damage → claim with {carrier}" }
};

/* ------------------------------------------------------ account locked */

static const struct demo_pair demo_account_subject[] = {
	{ "Compte bloqué", "Account locked" },
	{ "Impossible de me connecter", "Can't log in" }
};
static const struct demo_pair demo_account_open[] = {
	{ "Mon compte est bloqué après trop de tentatives, je ne peux plus me connecter",
	  "My account is locked after too many attempts, I can't log in" },
	{ "Je ne reçois pas l'e-mail de réinitialisation du mot de passe",
	  "I'm not getting the password reset email" },
	{ "On me dit « compte suspendu » quand je me connecte ?? J'ai rien fait",
	  "It says \"account suspended\" when I log in?? I didn't do anything" }
};
static const struct demo_pair demo_account_detail[] = {
	{ "L'adresse du compte c'est {email}", "The account email is {email}" }
};
static const struct demo_pair demo_account_show[] = {
	{ "Capture du message d'erreur", "Screenshot of the error" }
};
static const struct demo_pair demo_account_bot[] = {
	{ "Par sécurité, votre compte est verrouillé 30 minutes après 5 tentatives. Vous pouvez aussi réinitialiser votre mot de passe ici : https://www.example.com/mot-de-passe 🔐",
	  "For security your account is locked for 30 minutes after 5 failed attempts. You can also reset your password here: https://www.example.com/password 🔐" }
};
static const struct demo_pair demo_account_ask[] = {
	{ "Je vais vérifier votre compte. Pouvez-vous me confirmer l'adresse e-mail utilisée ?",
	  "I'll look into your account. Can you confirm the email address you use?" }
};
static const struct demo_pair demo_account_solve[] = {
	{ "Votre compte est débloqué ✅ Je vous ai renvoyé un lien de réinitialisation sur {email} (pensez à vérifier les spams).",
	  "Your account is unlocked ✅ I've sent a new reset link to {email} (do check your spam folder)." },
	{ "Le compte avait été suspendu par erreur par notre système anti-fraude. C'est corrigé, vous pouvez vous reconnecter.",
	  "Our fraud filter suspended the account by mistake. It's fixed, you can log in again." }
};
static const struct demo_pair demo_account_wait[] = {
	{ "Le déblocage doit être validé par l'équipe sécurité, je reviens vers vous dans la journée.",
	  "The unlock needs approval from our security team; I'll come back to you later today." }
};
static const struct demo_pair demo_account_note[] = {
	{ "Suspension auto anti-fraude (3 cartes différentes en 1 h), vérifié → légitime",
	  "Auto fraud suspension (3 different cards in 1 h), checked → legitimate" },
	{ "Ne jamais communiquer de mot de passe, même si le client insiste",
	  "Never share a password, even if the customer insists" }
};

/* ------------------------------------------------------------- invoice */

static const struct demo_pair demo_invoice_subject[] = {
	{ "Facture commande {order}", "Invoice for order {order}" },
	{ "Besoin d'une facture au nom de ma société", "Need a VAT invoice for my company" }
};
static const struct demo_pair demo_invoice_open[] = {
	{ "Pourriez-vous m'envoyer la facture de ma commande {order} ?",
	  "Could you send me the invoice for order {order}?" },
	{ "J'ai besoin d'une facture au nom de ma société pour {aproduct}, c'est possible ?",
	  "I need an invoice in my company's name for {aproduct}, is that possible?" },
	{ "Je ne trouve pas mes factures dans mon espace client 🤔",
	  "I can't find my invoices in my account 🤔" }
};
static const struct demo_pair demo_invoice_detail[] = {
	{ "Raison sociale : Studio Lumière SARL, 12 rue des Lilas, 69003 Lyon. TVA FR32 512 345 678",
	  "Company: Brightside Design Ltd, 4 Mill Lane, Leeds LS1 4AB. VAT GB 123 4567 89" },
	{ "C'est pour la commande {order}, passée {odate}",
	  "It's for order {order}, placed {odate}" }
};
static const struct demo_pair demo_invoice_bot[] = {
	{ "Vos factures sont dans Mon compte > Mes commandes. Voici celle de la commande {order} 📄",
	  "Your invoices are in My account > Orders. Here is the one for order {order} 📄" }
};
static const struct demo_pair demo_invoice_ask[] = {
	{ "Je vous prépare ça.", "I'll prepare that for you." },
	{ "Pouvez-vous me donner la raison sociale et l'adresse de facturation ?",
	  "Could you give me the company name and billing address?" }
};
static const struct demo_pair demo_invoice_send[] = {
	{ "Voici votre facture {invoice} 📎", "Here is your invoice {invoice} 📎" },
	{ "Voici la facture {invoice} au nom de votre société, elle est aussi disponible dans votre espace client.",
	  "Here is invoice {invoice} in your company's name; it's also available in your account." }
};
static const struct demo_pair demo_invoice_wait[] = {
	{ "La comptabilité doit rééditer la facture, je vous l'envoie dès qu'elle est prête (24 à 48 h).",
	  "Accounts need to reissue the invoice; I'll send it as soon as it's ready (24 to 48 hours)." }
};
static const struct demo_pair demo_invoice_note[] = {
	{ "Facture rééditée au nom de la société, l'ancienne version est annulée",
	  "Invoice reissued in the company's name, the old one voided" }
};

/* ---------------------------------------------------------- store hours */

static const struct demo_pair demo_hours_subject[] = {
	{ "Horaires boutique {store}", "Opening hours {store}" },
	{ "Ouvert dimanche ?", "Open on Sunday?" }
};
static const struct demo_pair demo_hours_open[] = {
	{ "Vous êtes ouverts dimanche à {store} ?", "Is the {store} shop open on Sunday?" },
	{ "Quels sont les horaires de la boutique de {store} ?",
	  "What are the opening hours of your {store} store?" },
	{ "Est-ce que je peux venir retirer ma commande {order} en boutique ce soir ?",
	  "Can I pick up order {order} in store tonight?" }
};
static const struct demo_pair demo_hours_detail[] = {
	{ "Et vous avez {product} en stock là-bas ?", "And do you have the {pname} in stock there?" },
	{ "Je passerai vers 18 h 30 si c'est bon", "I'd come by around 6:30pm if that's ok" }
};
static const struct demo_pair demo_hours_bot[] = {
	{ "Notre boutique de {store} est ouverte du lundi au samedi de 10 h à 19 h 30, et le dimanche de 11 h à 18 h 🕙",
	  "Our {store} store is open Monday to Saturday 10am–7:30pm, and Sunday 11am–6pm 🕙" },
	{ "Le retrait en boutique est possible dès réception du SMS de confirmation, aux horaires d'ouverture (10 h - 19 h 30).",
	  "In-store pickup is available as soon as you get the confirmation text, during opening hours (10am–7:30pm)." }
};
static const struct demo_pair demo_hours_ask[] = {
	{ "Je regarde avec la boutique de {store}.", "Let me check with the {store} store." }
};
static const struct demo_pair demo_hours_solve[] = {
	{ "La boutique de {store} a bien {product} en stock, je vous en ai réservé un exemplaire jusqu'à samedi.",
	  "The {store} store has the {pname} in stock; I've put one aside in your name until Saturday." },
	{ "Votre commande est prête en boutique, vous pouvez passer jusqu'à 19 h 30 avec une pièce d'identité.",
	  "Your order is ready in store, you can come until 7:30pm with photo ID." }
};
static const struct demo_pair demo_hours_wait[] = {
	{ "La boutique ne répond pas encore, je les rappelle à l'ouverture et je vous confirme.",
	  "The store isn't answering yet; I'll call them when they open and confirm." }
};
static const struct demo_pair demo_hours_note[] = {
	{ "Boutique {store} fermée jeudi (inventaire)", "{store} store closed on Thursday (stocktake)" }
};

/* ---------------------------------------------------------- promo code */

static const struct demo_pair demo_promo_subject[] = {
	{ "Code promo refusé", "Promo code not working" },
	{ "Code {code}", "Code {code}" }
};
static const struct demo_pair demo_promo_open[] = {
	{ "Le code {code} ne marche pas, on me dit qu'il est expiré alors que la newsletter dit jusqu'à dimanche",
	  "The code {code} doesn't work, it says expired but the newsletter says it's valid until Sunday" },
	{ "J'ai oublié de mettre mon code promo {code} sur ma commande {order}, vous pouvez l'appliquer ?",
	  "I forgot to apply my promo code {code} to order {order}, can you still apply it?" },
	{ "Vous avez un code promo pour une première commande ? 😇",
	  "Do you have a discount code for a first order? 😇" }
};
static const struct demo_pair demo_promo_detail[] = {
	{ "Panier à {price}, donc au-dessus du minimum normalement",
	  "My basket is {price}, so above the minimum" }
};
static const struct demo_pair demo_promo_show[] = {
	{ "Voilà l'erreur", "Here's the error" }
};
static const struct demo_pair demo_promo_bot[] = {
	{ "Le code {code} est valable une fois par client, dès 50 € d'achat, hors articles soldés.",
	  "The code {code} can be used once per customer, on orders over £40, excluding sale items." },
	{ "Bienvenue ! Avec le code BIENVENUE10, profitez de 10 % sur votre première commande 🎉",
	  "Welcome! Use WELCOME10 for 10% off your first order 🎉" }
};
static const struct demo_pair demo_promo_ask[] = {
	{ "Je regarde les offres en cours de mon côté.", "Let me check the current offers on my side." }
};
static const struct demo_pair demo_promo_solve[] = {
	{ "Le code avait été désactivé par erreur, c'est réparé. Je vous ai remboursé la différence sur la commande {order} 🎉",
	  "The code had been switched off by mistake, it's fixed. I've refunded the difference on order {order} 🎉" },
	{ "Je ne peux pas l'appliquer après coup, mais je vous ai créé un bon de 10 % pour votre prochaine commande.",
	  "I can't apply it after the fact, but I've created a 10% voucher for your next order." }
};
static const struct demo_pair demo_promo_wait[] = {
	{ "Je vérifie avec l'équipe marketing si l'offre est prolongée, je reviens vers vous.",
	  "I'm checking with marketing whether the offer was extended, I'll get back to you." }
};
static const struct demo_pair demo_promo_note[] = {
	{ "Code {code} mal paramétré (date de fin = hier), signalé au marketing",
	  "Code {code} misconfigured (end date = yesterday), reported to marketing" }
};

/* ------------------------------------------------- subscription cancel */

static const struct demo_pair demo_cancel_subject[] = {
	{ "Résiliation abonnement {plan}", "Cancel my {plan} subscription" },
	{ "Prélèvement après résiliation", "Charged after cancelling" }
};
static const struct demo_pair demo_cancel_open[] = {
	{ "Je veux résilier mon abonnement {plan}, comment je fais ?",
	  "I want to cancel my {plan} subscription, how do I do it?" },
	{ "Vous m'avez encore prélevé {price} alors que j'ai résilié le mois dernier !",
	  "You charged me {price} again even though I cancelled last month!" },
	{ "Comment on arrête la box mensuelle ? Je ne trouve pas le bouton",
	  "How do I stop the monthly box? I can't find the button" }
};
static const struct demo_pair demo_cancel_detail[] = {
	{ "L'abonnement est au nom de {name}, {email}", "The subscription is under {name}, {email}" },
	{ "J'ai même reçu un e-mail de confirmation de résiliation",
	  "I even got a cancellation confirmation email" }
};
static const struct demo_pair demo_cancel_bot[] = {
	{ "Vous pouvez résilier à tout moment depuis Mon compte > Abonnement > Résilier. La résiliation prend effet à la fin de la période en cours.",
	  "You can cancel anytime in My account > Subscription > Cancel. It takes effect at the end of the current period." }
};
static const struct demo_pair demo_cancel_ask[] = {
	{ "Je regarde votre abonnement.", "Let me look at your subscription." }
};
static const struct demo_pair demo_cancel_solve[] = {
	{ "C'est fait, votre abonnement {plan} est résilié. Aucun prélèvement ne sera plus effectué.",
	  "Done, your {plan} subscription is cancelled. You won't be charged again." },
	{ "Le prélèvement de {price} était une erreur, il vous sera remboursé sous 5 jours. Toutes nos excuses.",
	  "The {price} charge was a mistake and will be refunded within 5 days. Our apologies." }
};
static const struct demo_pair demo_cancel_wait[] = {
	{ "Je dois faire valider le remboursement du dernier prélèvement, je reviens vers vous demain.",
	  "I need approval to refund the last charge; I'll get back to you tomorrow." }
};
static const struct demo_pair demo_cancel_note[] = {
	{ "Résiliation enregistrée le mois dernier mais pas appliquée : bug facturation connu ({ticket})",
	  "Cancellation logged last month but not applied: known billing bug ({ticket})" }
};

/* -------------------------------------------- complaint, going public */

static const struct demo_pair demo_complaint_subject[] = {
	{ "Réclamation — inadmissible", "Formal complaint" },
	{ "TROISIÈME relance commande {order}", "THIRD reminder, order {order}" }
};
static const struct demo_pair demo_complaint_open[] = {
	{ "Ça fait 3 semaines que j'attends une réponse. Si personne ne me répond aujourd'hui je vais le dire sur Twitter 😡",
	  "I've been waiting 3 weeks for an answer. If nobody replies today I'm posting about this on Twitter 😡" },
	{ "Service client inexistant, commande {order} jamais reçue, remboursement jamais reçu. Je vais laisser un avis sur Trustpilot et prévenir 60 Millions de consommateurs.",
	  "Non-existent customer service, order {order} never arrived, refund never came. I'm leaving a review on Trustpilot and contacting Which?." },
	{ "C'est la TROISIÈME fois que je vous écris. Je vais poster les captures partout si ça continue.",
	  "This is the THIRD time I'm writing to you. I'll post the screenshots everywhere if this goes on." }
};
static const struct demo_pair demo_complaint_detail[] = {
	{ "J'ai 12 000 abonnés sur Insta, je vous préviens", "I have 12k followers on Instagram, just so you know" },
	{ "Commande {order}, {price}, toujours rien.", "Order {order}, {price}, still nothing." }
};
static const struct demo_pair demo_complaint_ask[] = {
	{ "Je comprends parfaitement votre agacement et je m'occupe personnellement de votre dossier.",
	  "I completely understand your frustration and I'm handling your case personally." }
};
static const struct demo_pair demo_complaint_solve[] = {
	{ "Je vous ai remboursé l'intégralité ({price}) et ajouté un bon de 20 € pour le désagrément. Encore toutes nos excuses.",
	  "I've refunded the full amount ({price}) and added a £20 voucher for the trouble. Again, our sincere apologies." }
};
static const struct demo_pair demo_complaint_wait[] = {
	{ "J'ai escaladé votre dossier à ma responsable, vous aurez une réponse définitive demain avant midi.",
	  "I've escalated your case to my manager; you'll have a final answer tomorrow before noon." }
};
static const struct demo_pair demo_complaint_note[] = {
	{ "Menace de publication sur les réseaux, voir avec la com avant de répondre",
	  "Threatening to go public, check with comms before replying" },
	{ "3e contact du client pour ce dossier, priorité max", "Customer's 3rd contact on this, top priority" },
	{ "Attention : ton agressif, rester factuel", "Heads up: aggressive tone, stick to the facts" }
};

/* ------------------------------------------------------------- app bug */

static const struct demo_pair demo_bug_subject[] = {
	{ "L'application plante", "App keeps crashing" },
	{ "Bug au paiement", "Checkout bug" }
};
static const struct demo_pair demo_bug_open[] = {
	{ "L'appli plante dès que je veux payer 😤", "The app crashes every time I try to pay 😤" },
	{ "Impossible d'ajouter {product} au panier sur le site, le bouton ne fait rien",
	  "I can't add the {pname} to my basket on the website, the button does nothing" },
	{ "Le paiement Apple Pay échoue à chaque fois dans l'application",
	  "Apple Pay fails every time in the app" }
};
static const struct demo_pair demo_bug_detail[] = {
	{ "iPhone 13, iOS à jour, appli version 4.2.1", "iPhone 13, iOS up to date, app version 4.2.1" }
};
static const struct demo_pair demo_bug_show[] = {
	{ "Voilà ce que ça affiche", "This is what it shows" }
};
static const struct demo_pair demo_bug_bot[] = {
	{ "Désolé pour ce souci ! Essayez de mettre à jour l'application et de vider le cache. Si le problème persiste, écrivez « conseiller ».",
	  "Sorry about that! Try updating the app and clearing its cache. If it keeps happening, type \"agent\"." }
};
static const struct demo_pair demo_bug_ask[] = {
	{ "Merci du signalement. Quel téléphone et quelle version de l'appli utilisez-vous ?",
	  "Thanks for reporting this. Which phone and app version are you using?" }
};
static const struct demo_pair demo_bug_solve[] = {
	{ "Nos développeurs ont identifié le bug, un correctif sort aujourd'hui (version 4.2.2). En attendant, le paiement fonctionne sur le site.",
	  "Our developers found the bug; a fix ships today (version 4.2.2). Meanwhile, payment works on the website." },
	{ "J'ai passé la commande pour vous depuis notre outil, vous allez recevoir la confirmation par e-mail.",
	  "I've placed the order for you from our tool; you'll get the confirmation by email." }
};
static const struct demo_pair demo_bug_wait[] = {
	{ "J'ai remonté le problème à l'équipe technique ({ticket}), je vous tiens au courant dès qu'ils ont une piste.",
	  "I've reported it to the tech team ({ticket}); I'll let you know as soon as they have a lead." }
};
static const struct demo_pair demo_bug_note[] = {
	{ "Bug connu iOS 17 + Apple Pay, ticket {ticket}", "Known iOS 17 + Apple Pay bug, ticket {ticket}" }
};

/* ---------------------------------------------------------- wrong item */

static const struct demo_pair demo_wrong_subject[] = {
	{ "Mauvais article reçu", "Wrong item received" },
	{ "Erreur dans ma commande {order}", "Mistake in my order {order}" }
};
static const struct demo_pair demo_wrong_open[] = {
	{ "J'ai reçu le mauvais article dans ma commande {order} 🤨",
	  "I got the wrong item in order {order} 🤨" },
	{ "Il manque {product} dans mon colis, il n'y avait que la facture",
	  "The {pname} is missing from my parcel, there was only the invoice" },
	{ "Mauvaise couleur : j'avais pris {product} en bleu nuit, j'ai reçu du beige",
	  "Wrong colour: I ordered the {pname} in navy and got beige" }
};
static const struct demo_pair demo_wrong_detail[] = {
	{ "L'étiquette sur le carton dit bien {order}", "The label on the box does say {order}" }
};
static const struct demo_pair demo_wrong_show[] = {
	{ "Photo de ce que j'ai reçu", "Photo of what I received" }
};
static const struct demo_pair demo_wrong_ask[] = {
	{ "Toutes mes excuses pour cette erreur de préparation.", "Sorry for this packing mistake." }
};
static const struct demo_pair demo_wrong_solve[] = {
	{ "Je vous envoie le bon article en express, il arrive {eta}. Gardez l'autre, c'est offert.",
	  "I'm sending the right item by express, arriving {eta}. Feel free to keep the other one." }
};
static const struct demo_pair demo_wrong_send[] = {
	{ "Voici l'étiquette de retour prépayée. Le bon article part dès aujourd'hui.",
	  "Here's a prepaid return label. The correct item ships today." }
};
static const struct demo_pair demo_wrong_wait[] = {
	{ "L'entrepôt vérifie s'il reste {aproduct} en stock, je reviens vers vous d'ici demain.",
	  "The warehouse is checking stock of the {pname}; I'll be back to you by tomorrow." }
};
static const struct demo_pair demo_wrong_note[] = {
	{ "Erreur de picking entrepôt, la 2e cette semaine", "Warehouse picking error, the 2nd this week" }
};

/* ------------------------------------------------------ address change */

static const struct demo_pair demo_address_subject[] = {
	{ "Changement d'adresse de livraison", "Change of delivery address" },
	{ "Commande {order} : mauvaise adresse", "Order {order}: wrong address" }
};
static const struct demo_pair demo_address_open[] = {
	{ "Il y a une erreur dans l'adresse de livraison de ma commande {order}, c'est possible de la modifier ?",
	  "There's a mistake in the delivery address for order {order}, can I change it?" },
	{ "Je ne serai pas là {eta}, vous pouvez livrer en point relais à la place ?",
	  "I won't be home {eta}, can you deliver to a pickup point instead?" },
	{ "J'ai déménagé la semaine dernière, ma commande va partir à l'ancienne adresse 😬",
	  "I moved last week and my order is going to my old address 😬" }
};
static const struct demo_pair demo_address_detail[] = {
	{ "La bonne adresse : 8 rue Victor-Hugo, 33000 Bordeaux", "The right address is 27 Oak Road, Bristol BS6 5QE" },
	{ "Point relais Tabac de la Gare, 44000 Nantes", "Pickup point: Co-op, 15 High Street, Bath BA1 5AQ" }
};
static const struct demo_pair demo_address_ask[] = {
	{ "Je regarde si le colis est déjà parti.", "Let me check whether the parcel has left." }
};
static const struct demo_pair demo_address_solve[] = {
	{ "C'est modifié ✅ Le colis n'était pas encore parti, il sera livré à la nouvelle adresse {eta}.",
	  "Updated ✅ The parcel hadn't left yet; it'll be delivered to the new address {eta}." },
	{ "Le colis est déjà chez {carrier}, j'ai demandé une réexpédition vers le point relais.",
	  "The parcel is already with {carrier}; I've asked them to redirect it to the pickup point." }
};
static const struct demo_pair demo_address_wait[] = {
	{ "J'ai demandé la modification à {carrier}, ils confirment en général sous 24 h. Je reviens vers vous.",
	  "I've asked {carrier} to change it; they usually confirm within 24 hours. I'll get back to you." }
};
static const struct demo_pair demo_address_note[] = {
	{ "Adresse mise à jour dans le back-office et chez {carrier}",
	  "Address updated in the back office and with {carrier}" }
};

#define DEMO_L(t, what)	DEMO_LIST(demo_##t##_##what)

static const struct demo_topic demo_topics[] = {
	{ "late", { "delivery", NULL }, 18, 1, 0, DEMO_ATTACH_SCREENSHOT, DEMO_OUT_NONE,
	  DEMO_L(late, subject), DEMO_L(late, open), DEMO_L(late, detail),
	  DEMO_L(late, show), DEMO_L(late, bot), DEMO_L(late, ask),
	  DEMO_L(late, solve), DEMO_NONE, DEMO_L(late, wait), DEMO_L(late, note) },
	{ "refund", { "refund", "billing", NULL }, 10, 0, 0, DEMO_ATTACH_NONE, DEMO_OUT_CREDIT,
	  DEMO_L(refund, subject), DEMO_L(refund, open), DEMO_L(refund, detail),
	  DEMO_NONE, DEMO_NONE, DEMO_L(refund, ask),
	  DEMO_L(refund, solve), DEMO_L(refund, send), DEMO_L(refund, wait), DEMO_L(refund, note) },
	{ "broken", { "returns", NULL }, 10, 0, 0, DEMO_ATTACH_PHOTO, DEMO_OUT_LABEL,
	  DEMO_L(broken, subject), DEMO_L(broken, open), DEMO_L(broken, detail),
	  DEMO_L(broken, show), DEMO_NONE, DEMO_L(broken, ask),
	  DEMO_L(broken, solve), DEMO_L(broken, send), DEMO_L(broken, wait), DEMO_L(broken, note) },
	{ "account", { "account", NULL }, 8, 1, 0, DEMO_ATTACH_SCREENSHOT, DEMO_OUT_NONE,
	  DEMO_L(account, subject), DEMO_L(account, open), DEMO_L(account, detail),
	  DEMO_L(account, show), DEMO_L(account, bot), DEMO_L(account, ask),
	  DEMO_L(account, solve), DEMO_NONE, DEMO_L(account, wait), DEMO_L(account, note) },
	{ "invoice", { "billing", NULL }, 7, 1, 0, DEMO_ATTACH_NONE, DEMO_OUT_INVOICE,
	  DEMO_L(invoice, subject), DEMO_L(invoice, open), DEMO_L(invoice, detail),
	  DEMO_NONE, DEMO_L(invoice, bot), DEMO_L(invoice, ask),
	  DEMO_NONE, DEMO_L(invoice, send), DEMO_L(invoice, wait), DEMO_L(invoice, note) },
	{ "hours", { "store", NULL }, 6, 1, 0, DEMO_ATTACH_NONE, DEMO_OUT_NONE,
	  DEMO_L(hours, subject), DEMO_L(hours, open), DEMO_L(hours, detail),
	  DEMO_NONE, DEMO_L(hours, bot), DEMO_L(hours, ask),
	  DEMO_L(hours, solve), DEMO_NONE, DEMO_L(hours, wait), DEMO_L(hours, note) },
	{ "promo", { "promo", NULL }, 7, 1, 0, DEMO_ATTACH_SCREENSHOT, DEMO_OUT_NONE,
	  DEMO_L(promo, subject), DEMO_L(promo, open), DEMO_L(promo, detail),
	  DEMO_L(promo, show), DEMO_L(promo, bot), DEMO_L(promo, ask),
	  DEMO_L(promo, solve), DEMO_NONE, DEMO_L(promo, wait), DEMO_L(promo, note) },
	{ "cancel", { "subscription", "billing", NULL }, 7, 1, 0, DEMO_ATTACH_NONE, DEMO_OUT_NONE,
	  DEMO_L(cancel, subject), DEMO_L(cancel, open), DEMO_L(cancel, detail),
	  DEMO_NONE, DEMO_L(cancel, bot), DEMO_L(cancel, ask),
	  DEMO_L(cancel, solve), DEMO_NONE, DEMO_L(cancel, wait), DEMO_L(cancel, note) },
	{ "complaint", { "complaint", NULL }, 5, 0, 1, DEMO_ATTACH_NONE, DEMO_OUT_NONE,
	  DEMO_L(complaint, subject), DEMO_L(complaint, open), DEMO_L(complaint, detail),
	  DEMO_NONE, DEMO_NONE, DEMO_L(complaint, ask),
	  DEMO_L(complaint, solve), DEMO_NONE, DEMO_L(complaint, wait), DEMO_L(complaint, note) },
	{ "bug", { "bug", NULL }, 8, 1, 0, DEMO_ATTACH_SCREENSHOT, DEMO_OUT_NONE,
	  DEMO_L(bug, subject), DEMO_L(bug, open), DEMO_L(bug, detail),
	  DEMO_L(bug, show), DEMO_L(bug, bot), DEMO_L(bug, ask),
	  DEMO_L(bug, solve), DEMO_NONE, DEMO_L(bug, wait), DEMO_L(bug, note) },
	{ "wrong", { "returns", "delivery", NULL }, 7, 0, 0, DEMO_ATTACH_PHOTO, DEMO_OUT_LABEL,
	  DEMO_L(wrong, subject), DEMO_L(wrong, open), DEMO_L(wrong, detail),
	  DEMO_L(wrong, show), DEMO_NONE, DEMO_L(wrong, ask),
	  DEMO_L(wrong, solve), DEMO_L(wrong, send), DEMO_L(wrong, wait), DEMO_L(wrong, note) },
	{ "address", { "delivery", NULL }, 7, 0, 0, DEMO_ATTACH_NONE, DEMO_OUT_NONE,
	  DEMO_L(address, subject), DEMO_L(address, open), DEMO_L(address, detail),
	  DEMO_NONE, DEMO_NONE, DEMO_L(address, ask),
	  DEMO_L(address, solve), DEMO_NONE, DEMO_L(address, wait), DEMO_L(address, note) }
};

/* ------------------------------------------------------ generic phrases */

/* A customer's first words on a chat channel, alone or before the rest. */
static const struct demo_pair demo_greet[] = {
	{ "Bonjour", "Hello" },
	{ "Bonsoir", "Hi" },
	{ "Salut 👋", "Hey 👋" },
	{ "Bonjour, j'ai une question", "Hi, quick question" },
	{ "Bonjour ?", "Good morning" }
};
static const struct demo_pair demo_bot_welcome[] = {
	{ "Bonjour ! Je suis l'assistant virtuel d'{brand} 🤖 Je peux vous aider pour le suivi de commande, les retours, les factures ou nos horaires. Que puis-je faire pour vous ?",
	  "Hi! I'm {brand}'s virtual assistant 🤖 I can help with order tracking, returns, invoices and opening hours. What can I do for you?" },
	{ "Bonjour et bienvenue chez {brand} ! Je suis Nuage, l'assistant virtuel. Posez-moi votre question, ou écrivez « conseiller » pour parler à un humain.",
	  "Hello and welcome to {brand}! I'm Nuage, the virtual assistant. Ask me anything, or type \"agent\" to talk to a human." }
};
/* The auto-responder's first answer to an e-mail. */
static const struct demo_pair demo_bot_ack[] = {
	{ "Nous avons bien reçu votre message et vous répondrons sous 24 h ouvrées. Votre référence : {ticket}.\n\nEn attendant, notre centre d'aide répond aux questions les plus fréquentes : {help}",
	  "We have received your message and will answer within one working day. Your reference: {ticket}.\n\nIn the meantime, our help centre answers the most common questions: {help}" }
};
/* The bot's answer when the topic is beyond it. */
static const struct demo_pair demo_bot_unsure[] = {
	{ "Je ne suis pas sûr de bien comprendre 🤔 Voici des articles qui pourraient vous aider : {help}",
	  "I'm not sure I understood 🤔 These articles might help: {help}" },
	{ "Je peux vous aider pour : 1️⃣ suivi de commande 2️⃣ retours 3️⃣ factures. Écrivez le numéro de votre choix, ou « conseiller ».",
	  "I can help with: 1️⃣ order tracking 2️⃣ returns 3️⃣ invoices. Type a number, or \"agent\"." },
	{ "Pouvez-vous me donner votre numéro de commande ? Il commence par FR-.",
	  "Could you give me your order number? It starts with UK-." }
};
static const struct demo_pair demo_bot_transfer[] = {
	{ "Je transfère votre demande à un conseiller. Temps d'attente estimé : {wait} min. Merci de votre patience 🙏",
	  "I'm passing you to one of our agents. Estimated wait: {wait} min. Thanks for your patience 🙏" },
	{ "Je ne suis pas sûr de bien comprendre. Je vous mets en relation avec un membre de l'équipe, qui vous répondra ici même.",
	  "I'm not sure I can help with that. I'm connecting you with a member of our team, who will answer right here." },
	{ "Un conseiller va prendre le relais. Nos équipes sont disponibles du lundi au samedi, de 9 h à 19 h.",
	  "An agent will take over. Our team is available Monday to Saturday, 9am to 7pm." }
};
static const struct demo_pair demo_bot_close[] = {
	{ "Ravi d'avoir pu vous aider ! Bonne journée ☀️", "Glad I could help! Have a nice day ☀️" },
	{ "Avec plaisir ! N'hésitez pas si vous avez d'autres questions.",
	  "You're welcome! Just ask if you have any other questions." },
	{ "Merci de votre message. À bientôt chez {brand} !", "Thanks for your message. See you soon at {brand}!" }
};
static const struct demo_pair demo_ask_human[] = {
	{ "Je veux parler à un conseiller", "I want to talk to a person" },
	{ "conseiller", "agent" },
	{ "Un humain svp 🙏", "human please 🙏" },
	{ "Est-ce que je peux parler à une vraie personne ?", "Can I speak to a real person?" },
	{ "Ça ne répond pas à ma question. Je voudrais parler à quelqu'un du service client.",
	  "That doesn't answer my question. I'd like to talk to someone from customer service." }
};
/* A customer waiting for a human. */
static const struct demo_pair demo_cust_wait[] = {
	{ "Allô ? Il y a quelqu'un ?", "Hello? Anyone there?" },
	{ "Toujours rien…", "Still nothing…" },
	{ "??", "??" },
	{ "Ça fait une heure que j'attends 😤", "Been waiting an hour now 😤" },
	{ "Bon, je repasse demain.", "Fine, I'll try again tomorrow." },
	{ "Vous êtes là ?", "Are you there?" }
};
/* A customer answering the bot. */
static const struct demo_pair demo_cust_ok[] = {
	{ "Ok merci", "ok thanks" },
	{ "D'accord 👍", "Great, thank you!" },
	{ "Super, merci !", "👍" },
	{ "Parfait", "Perfect" },
	{ "ah ok", "ah ok got it" }
};
static const struct demo_pair demo_cust_to_bot[] = {
	{ "ça ne m'aide pas", "that doesn't help" },
	{ "{order}", "{order}" },
	{ "non", "no" },
	{ "Je l'ai déjà fait 🙄", "I already did that 🙄" },
	{ "3", "3" }
};
static const struct demo_pair demo_cust_fill[] = {
	{ "Ok", "Ok" },
	{ "Oui c'est bien ça", "Yes that's right" },
	{ "C'est la commande {order}", "It's order {order}" },
	{ "Je suis dispo après 18 h si besoin de m'appeler", "I'm free after 6pm if you need to call me" },
	{ "C'est déjà la deuxième fois que ça arrive…", "It's the second time this happens…" },
	{ "Vous avez pu regarder ?", "Did you manage to have a look?" },
	{ "Merci", "Thanks" },
	{ "Mon adresse e-mail c'est {email}", "My email is {email}" }
};
static const struct demo_pair demo_cust_thanks[] = {
	{ "Merci beaucoup, super rapide 🙏", "Thanks a lot, that was quick 🙏" },
	{ "Parfait, merci {agent} !", "Perfect, thanks {agent}!" },
	{ "Top, merci pour votre aide", "Great, thanks for your help" },
	{ "Merci ❤️", "Thank you ❤️" },
	{ "Ok c'est reçu, merci !", "Got it, thanks!" }
};
/* A customer's last word in a conversation an agent still owns. */
static const struct demo_pair demo_cust_followup[] = {
	{ "Ok, et c'est pour quand du coup ?", "Ok, so when will that be?" },
	{ "D'accord, je dois faire quelque chose de mon côté ?", "Alright, do I need to do anything?" },
	{ "Merci. Vous pouvez me rappeler au 06 12 34 56 78 si besoin", "Thanks. You can call me on 07700 900123 if needed" },
	{ "Ça marche, j'attends alors", "Ok, I'll wait then" },
	{ "Et si ça ne marche toujours pas ?", "And what if it still doesn't work?" }
};
/* An agent's first words on a chat channel; the topic's question follows. */
static const struct demo_pair demo_agent_hello[] = {
	{ "Bonjour {first} ! C'est {agent} du service client {brand}, je prends le relais 👋",
	  "Hi {first}! This is {agent} from {brand} customer care, I'm taking over 👋" },
	{ "Bonjour {first}, {agent} ici. Merci pour votre patience !",
	  "Hi {first}, {agent} here. Thanks for your patience!" },
	{ "Bonjour {first} 🙂 Je m'appelle {agent} et je m'occupe de votre demande.",
	  "Hello {first} 🙂 My name is {agent} and I'll be looking after your request." }
};
static const struct demo_pair demo_agent_fill[] = {
	{ "Je regarde ça tout de suite.", "Looking into it now." },
	{ "Merci, c'est noté 👍", "Thanks, noted 👍" },
	{ "Un instant, je vérifie dans notre système 🙏", "One moment, I'm checking our system 🙏" },
	{ "Pouvez-vous me confirmer l'adresse e-mail de votre compte ?", "Could you confirm the email address on your account?" },
	{ "Merci pour ces précisions.", "Thanks for the details." },
	{ "Je reviens vers vous dans quelques minutes.", "I'll be back with you in a few minutes." }
};
static const struct demo_pair demo_agent_close[] = {
	{ "Avec plaisir {first} ! Je clôture la conversation, n'hésitez pas à nous réécrire. Belle journée !",
	  "My pleasure {first}! I'll close this conversation, feel free to write again. Have a good day!" },
	{ "Je vous en prie, bonne soirée !", "You're welcome, have a nice evening!" },
	{ "Merci à vous, à bientôt chez {brand} 👋", "Thank you, see you soon at {brand} 👋" }
};
/* Internal notes that fit any topic. */
static const struct demo_pair demo_note_any[] = {
	{ "Client fidèle depuis 2019, 14 commandes", "Loyal customer since 2019, 14 orders" },
	{ "Préfère être contacté par e-mail", "Prefers to be contacted by email" },
	{ "Déjà eu au téléphone hier, voir la fiche CRM", "Spoke on the phone yesterday, see the CRM record" },
	{ "@bob tu peux regarder ? Je pars en pause", "@chloe can you take a look? Going on my break" },
	{ "Geste commercial validé par Sarah (10 €)", "Goodwill gesture approved by Sarah (£10)" }
};

/* E-mail salutations and signatures. */
static const struct demo_pair demo_mail_hello[] = {
	{ "Bonjour", "Hello" },
	{ "Bonjour Madame, Monsieur", "Dear Customer Service" },
	{ "Bonsoir", "Hi" }
};
static const struct demo_pair demo_mail_bye[] = {
	{ "Cordialement", "Kind regards" },
	{ "Bien à vous", "Best" },
	{ "Merci d'avance", "Thanks in advance" }
};

/* --------------------------------------------------------------- people */

/* Customers: every first name with every last name of its language. */
static const char *const demo_first_fr[] = {
	"Amélie", "Antoine", "Benoît", "Camille", "Céline", "Chloé", "Clément",
	"Élodie", "Émile", "Fabrice", "François", "Gaëlle", "Hélène", "Inès",
	"Jérôme", "Julien", "Karim", "Laëtitia", "Léa", "Lucas", "Maëlle",
	"Manon", "Margaux", "Mathieu", "Nadia", "Noël", "Océane", "Pauline",
	"Quentin", "Raphaël", "Renée", "Sébastien", "Solène", "Sophie", "Théo",
	"Thomas", "Valérie", "Yasmine", "Yann", "Zoé"
};
static const char *const demo_last_fr[] = {
	"Martin", "Bernard", "Dubois", "Durand", "Lefèvre", "Leroy", "Moreau",
	"Girard", "Fournier", "Mercier", "Faure", "Rousseau", "Blanc", "Guérin",
	"Muller", "Henry", "Roussel", "Perrin", "Morel", "Garnier", "Chevalier",
	"Legrand", "Gauthier", "Perrot", "Roux", "Boyer", "Lemoine", "Benali",
	"Nguyen", "Da Silva", "Le Gall", "Kerhervé", "Ménard", "Carré", "Côté",
	"Besnard", "Lacroix", "Marchand", "Haddad", "Vasseur"
};
static const char *const demo_first_en[] = {
	"Oliver", "Amelia", "Harry", "Isla", "Jack", "Ava", "George", "Mia",
	"Noah", "Emily", "Charlie", "Grace", "Zoë", "Siobhán", "Liam", "Ethan",
	"Ruby", "Freya", "Arjun", "Priya", "Callum", "Niamh", "Tom", "Hannah",
	"Daniel", "Olivia", "Ben", "Lucy", "Kwame", "Aisha", "Rhys", "Seán",
	"Molly", "Jacob", "Ellie", "Ryan"
};
static const char *const demo_last_en[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
	"Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White",
	"Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "O'Brien",
	"Murphy", "Kelly", "Patel", "Khan", "Singh", "MacLeod", "Byrne",
	"Hughes", "Edwards"
};

/* Customers who write in English from elsewhere; handle is the ASCII form. */
struct demo_world_name {
	const char	*name;
	const char	*first;
	const char	*handle;
	int		 utc_offset;	/* seconds east of UTC in winter */
	int		 eu_summer;	/* follows the EU summer time */
};
static const struct demo_world_name demo_world_names[] = {
	{ "李小龙", "小龙", "xiaolong.li", 28800, 0 },
	{ "Дмитрий Соколов", "Дмитрий", "dmitri.sokolov", 10800, 0 },
	{ "Αλέξης Παπαδόπουλος", "Αλέξης", "alexis.papadopoulos", 7200, 1 },
	{ "佐藤 美咲", "美咲", "misaki.sato", 32400, 0 },
	{ "Nguyễn Thị Ánh", "Ánh", "anh.nguyen", 25200, 0 }
};

/* Emoji some people put after their name on chat apps. */
static const char *const demo_name_emoji[] = {
	"🌸", "✨", "🏳️‍🌈", "⚽", "🎸", "☕", "👩‍💻"
};

struct demo_agent {
	const char	*login;		/* tag and from_id: ombre/assigned/LOGIN */
	const char	*first;
	const char	*full;
	int		 lang;		/* the language of the agent's notes */
};
static const struct demo_agent demo_agents[] = {
	{ "alice", "Alice", "Alice Martin", 0 },
	{ "bob", "Bob", "Bob Carter", 1 },
	{ "chloe", "Chloé", "Chloé Dubois", 0 },
	{ "malik", "Malik", "Malik Haddad", 0 },
	{ "sam", "Sam", "Sam Nguyen", 1 }
};

/* ---------------------------------------------------------------- things */

struct demo_product {
	const char	*fr;		/* without article */
	int		 fr_feminine;
	const char	*en;
	int		 cents;
};
static const struct demo_product demo_products[] = {
	{ "lampe Orion", 1, "Orion lamp", 4990 },
	{ "casque Nimbus", 0, "Nimbus headset", 12900 },
	{ "bouilloire Vapeur", 1, "Vapeur kettle", 5990 },
	{ "enceinte Brise", 1, "Brise speaker", 8900 },
	{ "plaid Cumulus", 0, "Cumulus throw", 3990 },
	{ "cafetière Brume", 1, "Brume coffee maker", 7490 },
	{ "veilleuse Luciole", 1, "Luciole night light", 2490 },
	{ "montre Zéphyr", 1, "Zéphyr watch", 19900 },
	{ "coussin Stratus", 0, "Stratus cushion", 2990 },
	{ "humidificateur Averse", 0, "Averse humidifier", 3490 }
};

/* Carriers and the shape of their tracking numbers: # a digit, @ a letter. */
static const struct demo_pair demo_carriers[] = {
	{ "Colissimo", "Royal Mail" },
	{ "Chronopost", "DPD" },
	{ "Mondial Relay", "Evri" }
};
static const struct demo_pair demo_tracking_shapes[] = {
	{ "6A###########", "@@#########GB" },
	{ "XW#########FR", "##############" },
	{ "########", "H##@@@##########" }
};
static const struct demo_pair demo_stores[] = {
	{ "Lyon Part-Dieu", "Covent Garden" },
	{ "Paris Rivoli", "Manchester Arndale" },
	{ "Bordeaux Sainte-Catherine", "Bristol Cabot Circus" },
	{ "Lille Grand Place", "Edinburgh St James" }
};
static const struct demo_pair demo_codes[] = {
	{ "BIENVENUE10", "WELCOME10" },
	{ "SOLDES20", "SPRING20" },
	{ "NUAGE15", "CLOUD15" }
};
static const struct demo_pair demo_plans[] = {
	{ "Nuage+", "Nuage+" },
	{ "Box Cocon", "Cosy Box" }
};
static const struct demo_pair demo_months[] = {
	{ "janvier", "January" }, { "février", "February" }, { "mars", "March" },
	{ "avril", "April" }, { "mai", "May" }, { "juin", "June" },
	{ "juillet", "July" }, { "août", "August" }, { "septembre", "September" },
	{ "octobre", "October" }, { "novembre", "November" }, { "décembre", "December" }
};
static const struct demo_pair demo_weekdays[] = {
	{ "dimanche", "Sunday" }, { "lundi", "Monday" }, { "mardi", "Tuesday" },
	{ "mercredi", "Wednesday" }, { "jeudi", "Thursday" }, { "vendredi", "Friday" },
	{ "samedi", "Saturday" }
};
static const char *const demo_domains_fr[] = {
	"gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr",
	"sfr.fr", "outlook.fr", "wanadoo.fr"
};
static const char *const demo_domains_en[] = {
	"gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com",
	"icloud.com", "hotmail.co.uk"
};

/* ---------------------------------------------------------- hostile input */

/* A name that tries to set the terminal's title, then looks harmless. */
#define DEMO_HOSTILE_NAME	"\x1b]0;pwned\x07" "Eve"
/* Text that tries to colour and clear the screen. */
#define DEMO_HOSTILE_CSI	"\x1b[31mURGENT\x1b[0m\x1b[2J "
/* U+202E RIGHT-TO-LEFT OVERRIDE: "facture_<RLO>fdp.exe" shows as ...exe.pdf. */
#define DEMO_RLO		"\xe2\x80\xae"
static const struct demo_pair demo_hostile_bidi[] = {
	{ "Je vous renvoie le justificatif : facture_" DEMO_RLO "fdp.exe",
	  "Sending the receipt again: receipt_" DEMO_RLO "fdp.exe" }
};
/* The words buried under combining marks. */
static const struct demo_pair demo_hostile_zalgo[] = {
	{ "AIDEZ MOI", "HELP ME" }
};

#endif
